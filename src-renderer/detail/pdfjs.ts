/**
 * pdf.js, loaded lazily with the document detail. The worker is a file of the bundle
 * (same origin, allowed by worker-src 'self'); eval is disabled for the CSP.
 */
import { GlobalWorkerOptions, getDocument, type PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

export function openPdf(data: Uint8Array<ArrayBuffer>): Promise<PDFDocumentProxy> {
  return getDocument({ data, isEvalSupported: false }).promise;
}

export type { PDFDocumentProxy };
