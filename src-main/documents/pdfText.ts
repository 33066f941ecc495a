/**
 * Text of a PDF for the search index, extracted with pdf.js in plain Node (no
 * worker, no eval, no font loading). Bounded in pages and characters; a PDF whose
 * text cannot be read is still registered, with an empty text and a log line.
 */
import { createLogger } from '../log.js';

const log = createLogger('pdf-text');
const maxPages = 50;
const maxChars = 200_000;

export async function extractPdfText(bytes: Uint8Array): Promise<string> {
  try {
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const task = pdfjs.getDocument({
      data: new Uint8Array(bytes), // pdf.js detaches the buffer it is given
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
    });
    const pdf = await task.promise;
    try {
      const parts: string[] = [];
      let length = 0;
      for (let n = 1; n <= Math.min(pdf.numPages, maxPages) && length < maxChars; n += 1) {
        const page = await pdf.getPage(n);
        const content = await page.getTextContent();
        for (const item of content.items) {
          if ('str' in item) {
            parts.push(item.str, item.hasEOL ? '\n' : ' ');
            length += item.str.length + 1;
          }
        }
        page.cleanup();
      }
      return parts.join('').replace(/[ \t]+/g, ' ').normalize('NFC').slice(0, maxChars);
    } finally {
      await task.destroy();
    }
  } catch (error) {
    log.warn('could not extract PDF text', { error: error instanceof Error ? error.message : String(error) });
    return '';
  }
}
