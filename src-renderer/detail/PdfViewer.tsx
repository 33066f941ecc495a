import { useEffect, useRef, useState } from 'react';
import { api, call } from '../api/call.js';
import { base64ToBytes } from '../components/fileUpload.js';
import { useI18n } from '../i18n/I18nProvider.js';
import type { PDFDocumentProxy } from './pdfjs.js';

const cssScale = 1.4;

/** The document's PDF, one page at a time on a canvas; data-rendered="true" once a page is drawn. */
export function PdfViewer({ sha256 }: { sha256: string }) {
  const { t } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [pdf, setPdf] = useState<PDFDocumentProxy | null>(null);
  const [pageNumber, setPageNumber] = useState(1);
  const [rendered, setRendered] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    let opened: PDFDocumentProxy | null = null;
    setPdf(null);
    setFailed(false);
    setPageNumber(1);
    (async () => {
      const [{ openPdf }, file] = await Promise.all([import('./pdfjs.js'), call(api().files.read({ sha256 }))]);
      opened = await openPdf(base64ToBytes(file.dataBase64));
      if (live) setPdf(opened);
      else void opened.destroy();
    })().catch(() => live && setFailed(true));
    return () => {
      live = false;
      void opened?.destroy();
    };
  }, [sha256]);

  useEffect(() => {
    const el = canvas.current;
    if (!pdf || !el) return;
    let task: ReturnType<Awaited<ReturnType<PDFDocumentProxy['getPage']>>['render']> | null = null;
    let live = true;
    setRendered(false);
    (async () => {
      const page = await pdf.getPage(pageNumber);
      if (!live) return;
      const ratio = window.devicePixelRatio || 1;
      const viewport = page.getViewport({ scale: cssScale * ratio });
      el.width = Math.floor(viewport.width);
      el.height = Math.floor(viewport.height);
      el.style.width = `${Math.floor(viewport.width / ratio)}px`; // CSSOM, allowed by the CSP
      task = page.render({ canvas: el, viewport });
      await task.promise;
      if (live) setRendered(true);
    })().catch((error: unknown) => {
      if (live && !(error instanceof Error && error.name === 'RenderingCancelledException')) setFailed(true);
    });
    return () => {
      live = false;
      task?.cancel();
    };
  }, [pdf, pageNumber]);

  const pages = pdf?.numPages ?? 0;
  return (
    <section className="pdf" aria-labelledby="pdf-title">
      <h2 id="pdf-title">{t.pdfViewer}</h2>
      {failed && <p className="notice notice--error">{t.pdfError}</p>}
      {!failed && !pdf && <p>{t.pdfLoading}</p>}
      {pdf && (
        <div className="pdf__toolbar">
          <button type="button" disabled={pageNumber <= 1} onClick={() => setPageNumber((n) => n - 1)}>
            {t.pdfPrev}
          </button>
          <span aria-live="polite">{t.pdfPageOf(pageNumber, pages)}</span>
          <button type="button" disabled={pageNumber >= pages} onClick={() => setPageNumber((n) => n + 1)}>
            {t.pdfNext}
          </button>
        </div>
      )}
      <div className="pdf__page">
        <canvas
          ref={canvas}
          role="img"
          aria-label={t.pdfPage(pageNumber)}
          data-rendered={rendered ? 'true' : 'false'}
          hidden={!pdf || failed}
        />
      </div>
    </section>
  );
}
