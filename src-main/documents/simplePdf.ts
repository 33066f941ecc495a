/**
 * A minimal PDF writer for demo data: A4 pages of text in the standard Helvetica
 * font. Standard fonts only cover Latin-1, so Vietnamese letters are written
 * without their marks (the search index folds them the same way anyway).
 */
import { foldVietnamese } from './fold.js';

function latin1(text: string): string {
  const plain = /^[\x20-\x7e]*$/.test(text) ? text : foldVietnamese(text).replace(/[^\x20-\x7e]/g, '?');
  return plain.replace(/[\\()]/g, (c) => `\\${c}`);
}

function wrap(text: string, width = 90): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/)) {
      if ((line + ' ' + word).trim().length > width) {
        lines.push(line);
        line = word;
      } else {
        line = (line + ' ' + word).trim();
      }
    }
    lines.push(line);
  }
  return lines;
}

/** Builds a PDF whose pages hold the given texts (one string per page, wrapped). */
export function simplePdf(pages: string[]): Buffer {
  const objects: string[] = [];
  const add = (body: string): number => objects.push(body);
  const catalog = add('');
  const pagesObj = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const kids: number[] = [];
  for (const text of pages) {
    const lines = wrap(text).slice(0, 60);
    const ops = ['BT', '/F1 11 Tf', '14 TL', '56 790 Td', ...lines.map((l) => `(${latin1(l)}) '`), 'ET'].join('\n');
    const content = add(`<< /Length ${Buffer.byteLength(ops, 'latin1')} >>\nstream\n${ops}\nendstream`);
    kids.push(add(`<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${content} 0 R >>`));
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesObj} 0 R >>`;
  objects[pagesObj - 1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
