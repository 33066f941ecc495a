/**
 * Where things go on the page, found from the document's own text (pdf.js):
 * the signer block (position title line above, full name below — NĐ 30 box 7),
 * the "Số:" line (box 3) and the "ngày … tháng … năm" line (box 4). The user can
 * still move the result by drag in the preview; these are the starting places.
 */
import fs from 'node:fs';

export type Rect = [number, number, number, number];

export interface TextItem {
  page: number;
  str: string;
  x: number;
  y: number; // baseline
  width: number;
  height: number; // font size
  /** start of each merged piece: index in str → x (for positions inside a line) */
  pieces?: { index: number; x: number; width: number; length: number }[];
}

export interface PageSize {
  width: number;
  height: number;
}

export interface PageText {
  items: TextItem[];
  pages: PageSize[];
}

/** Text items of the first and last pages (the only places signatures and numbers go). */
export async function readLayout(file: string, options: { pages?: 'first-last' | 'all' } = {}): Promise<PageText> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({ data: new Uint8Array(fs.readFileSync(file)), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 });
  const pdf = await task.promise;
  try {
    const items: TextItem[] = [];
    const pages: PageSize[] = [];
    for (let n = 1; n <= pdf.numPages; n += 1) {
      const page = await pdf.getPage(n);
      const [x1 = 0, y1 = 0, x2 = 595, y2 = 842] = page.view;
      pages.push({ width: x2 - x1, height: y2 - y1 });
      if (options.pages === 'all' || n === 1 || n === pdf.numPages) {
        const content = await page.getTextContent();
        for (const item of content.items) {
          if (!('str' in item) || !item.str.trim()) continue;
          const t = item.transform as number[];
          items.push({ page: n - 1, str: item.str.normalize('NFC'), x: t[4] ?? 0, y: t[5] ?? 0, width: item.width, height: Math.abs(t[3] ?? item.height) || item.height });
        }
      }
      page.cleanup();
    }
    return { items: mergeLines(items), pages };
  } finally {
    await task.destroy();
  }
}

/**
 * Joins the pieces of one line (viewers split text where the font changes — often at
 * every Vietnamese letter) into one item; gaps become spaces.
 */
export function mergeLines(items: TextItem[]): TextItem[] {
  const sorted = [...items].sort((a, b) => a.page - b.page || b.y - a.y || a.x - b.x);
  const out: TextItem[] = [];
  for (const it of sorted) {
    const last = out.at(-1);
    const gap = last ? it.x - (last.x + last.width) : 0;
    if (last && last.page === it.page && Math.abs(last.y - it.y) < 1 && gap > -1 && gap < it.height * 3) {
      const spaces = gap > it.height * 0.15 ? ' '.repeat(Math.max(1, Math.round(gap / (it.height * 0.25)))) : '';
      last.str += spaces;
      last.pieces?.push({ index: last.str.length, x: it.x, width: it.width, length: it.str.length });
      last.str += it.str;
      last.width = it.x + it.width - last.x;
      last.height = Math.max(last.height, it.height);
    } else {
      out.push({ ...it, pieces: [{ index: 0, x: it.x, width: it.width, length: it.str.length }] });
    }
  }
  return out;
}

/** x of the character at `index` of a (merged) line. */
export function xAt(item: TextItem, index: number): number {
  const pieces = item.pieces ?? [{ index: 0, x: item.x, width: item.width, length: item.str.length }];
  let prevEnd = { index: 0, x: item.x };
  for (const p of pieces) {
    if (index < p.index) {
      // inside a gap: interpolate between the previous piece's end and this piece's start
      const span = p.index - prevEnd.index;
      return prevEnd.x + ((p.x - prevEnd.x) * (index - prevEnd.index)) / Math.max(1, span);
    }
    if (index <= p.index + p.length) return p.x + (p.width * (index - p.index)) / Math.max(1, p.length);
    prevEnd = { index: p.index + p.length, x: p.x + p.width };
  }
  return item.x + item.width;
}

const fold = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

/** The signer block: the full name line and the nearest text line above it in the same column. */
export function signerBlock(layout: PageText, fullName: string): { page: number; rect: Rect; name: TextItem; title?: TextItem } | undefined {
  const wanted = fold(fullName);
  const candidates = layout.items.filter((i) => fold(i.str) === wanted || (wanted.length > 3 && fold(i.str).includes(wanted)));
  const nameItem = candidates.sort((a, b) => b.page - a.page || a.y - b.y)[0];
  if (!nameItem) return undefined;
  const cx = nameItem.x + nameItem.width / 2;
  const above = layout.items
    .filter((i) => i.page === nameItem.page && i.y > nameItem.y + nameItem.height && i.x <= cx + 40 && i.x + i.width >= cx - 40)
    .sort((a, b) => a.y - b.y)[0];
  const top = above ? above.y - above.height * 0.3 : nameItem.y + nameItem.height + 90;
  const bottom = nameItem.y + nameItem.height;
  const gap = top - bottom;
  const height = Math.max(30, Math.min(gap - 4, 90));
  const width = Math.min(170, height * 2.2);
  const yMid = (top + bottom) / 2;
  return { page: nameItem.page, name: nameItem, title: above, rect: [cx - width / 2, yMid - height / 2, cx + width / 2, yMid + height / 2] };
}

/** The seal, real size, its right third over the left part of the signer's image (NĐ 30). */
export function sealRect(signerRect: Rect, sealWidth: number, sealHeight: number): Rect {
  const [x1, y1, , y2] = signerRect;
  const cy = (y1 + y2) / 2;
  const right = x1 + sealWidth / 3;
  return [right - sealWidth, cy - sealHeight / 2, right, cy + sealHeight / 2];
}

/** Top-right of page 1 (appendix / electronic copy, box 14): inside the top margin, right margin 20 mm. */
export function topRight(page: PageSize, width: number, height: number): Rect {
  const right = page.width - 57; // 20 mm
  const top = page.height - 14; // 5 mm from the top edge, within the top margin
  return [right - width, top - height, right, top];
}

/** Blanks to fill at issuance: after "Số:" and in "ngày … tháng …". Positions are estimated from glyph counts. */
export function numberSlots(layout: PageText): { number?: { page: number; rect: Rect; size: number }; day?: { page: number; rect: Rect; size: number }; month?: { page: number; rect: Rect; size: number } } {
  const first = layout.items.filter((i) => i.page === 0);
  const out: ReturnType<typeof numberSlots> = {};
  const at = xAt;
  const so = first.find((i) => /^\s*Số\s*:/.test(i.str));
  if (so) {
    const colon = so.str.indexOf(':') + 1;
    const slash = so.str.indexOf('/', colon);
    const x1 = at(so, colon) + 1;
    const x2 = slash > 0 ? at(so, slash) - 1 : x1 + so.height * 3;
    out.number = { page: 0, size: so.height, rect: [x1, so.y - so.height * 0.25, Math.max(x2, x1 + so.height * 1.5), so.y + so.height * 0.9] };
  }
  const date = first.find((i) => /ngày\s+tháng/.test(i.str) || /ngày\s{2,}/.test(i.str));
  if (date) {
    const d1 = date.str.indexOf('ngày') + 4;
    const d2 = date.str.indexOf('tháng');
    const m2 = date.str.indexOf('năm');
    if (d2 > d1) out.day = { page: 0, size: date.height, rect: [at(date, d1), date.y - date.height * 0.25, at(date, d2), date.y + date.height * 0.9] };
    if (m2 > d2) out.month = { page: 0, size: date.height, rect: [at(date, d2 + 5), date.y - date.height * 0.25, at(date, m2), date.y + date.height * 0.9] };
  }
  return out;
}
