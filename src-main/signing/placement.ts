/**
 * Where a visible signature goes when nobody placed it by hand — one function for
 * `vanthu sign` without --page/--rect, the app's `signing:sign` without a placement,
 * and `signing:placement` (the sign dialog's preview, which the user can then move).
 * The places come from the PDF itself (layout.ts):
 *  - signer:   the signer block (position line above, full name below — NĐ 30 box 7);
 *  - agency:   the seal over the left part of the signer's visible signature (real size
 *              of the seal image when its PNG says it, else a 36 mm seal) and two text lines;
 *  - appendix / copy: top-right of page 1, sized to the stamp's text lines.
 * When that cannot be found, signing refuses (LAYOUT_NOT_FOUND) and the preview offers a
 * default place instead (`fallbackPlacement`), marked as not automatic.
 */
import { AppError } from '../api/errors.js';
import { pngRealSize, textBoxSize, type AppearanceMode } from './appearance.js';
import { findSignatures } from './changes.js';
import { numberSlots, readLayout, sealRect, signerBlock, topRight, type PageSize, type PageText, type Rect } from './layout.js';
import type { NumberSlot, ReservedSlot } from './numbering.js';
import { PdfFile } from './pdf/reader.js';
import { vnIso } from './time.js';

/** A 36 mm seal (in points), when the seal image does not give its real size. */
export const sealDiameter = 102;
/** Room for the agency's two text lines below the seal. */
const sealTextHeight = 22;
/** The seal box of an agency signature without a seal image of known size: a 36 mm seal and two text lines below it. */
export const sealSize = { width: sealDiameter, height: sealDiameter + sealTextHeight } as const;
/** The signer's box when the signer block is not found (the largest signerBlock makes). */
export const signerDefaultSize = { width: 170, height: 77 } as const;

export interface PlacementRequest {
  mode: AppearanceMode;
  /** The PDF as it will be signed. */
  source: string;
  /** signer: the name to look for (the document's signer, else the certificate's CN). */
  signerName?: string;
  /** appendix / copy: the stamp's text lines (they make the box's size). */
  lines?: string[];
  /** signer: the layout when the caller has already read it. */
  layout?: PageText;
  /** agency: the seal image (PNG); its real size (pHYs) makes the box, else a 36 mm seal. */
  sealImage?: Buffer;
}

export interface Placement {
  /** 0-based page index */
  page: number;
  /** [x1 y1 x2 y2] in PDF points, origin bottom left */
  rect: Rect;
}

export interface StampText {
  /** số/ký hiệu, e.g. "05/QĐ-UBND" (empty when the document has none yet) */
  code: string;
  /** the signing (copying) agency */
  agency: string;
  when: Date;
  /** copy: the kind of copy (default "SAO Y") */
  copyKind?: string;
}

/** The text of an appendix / copy stamp (NĐ 30: số/ký hiệu and time; copy: SAO Y and the copying agency). */
export function stampLines(mode: 'appendix' | 'copy', stamp: StampText): string[] {
  const { code, agency, when } = stamp;
  const lines = mode === 'appendix' ? [code, vnIso(when)] : [stamp.copyKind ?? 'SAO Y', agency, code ? `Số: ${code}` : '', vnIso(when)];
  return lines.filter(Boolean);
}

/** Width and height (points) of every page, from its MediaBox (A4 when it has none). */
export function pageSizes(source: string): PageSize[] {
  const pdf = PdfFile.open(source);
  try {
    return pdf.pages().map((ref) => {
      const box = pdf.pageAttribute(ref, 'MediaBox');
      const [x1 = 0, y1 = 0, x2 = 595, y2 = 842] = Array.isArray(box) ? (box as number[]) : [];
      return { width: x2 - x1, height: y2 - y1 };
    });
  } finally {
    pdf.close();
  }
}

/** The agency's box: the seal at its real size (when the PNG says it) with the text lines below. */
function agencyBoxSize(sealImage: Buffer | undefined): { width: number; height: number } {
  const real = sealImage ? pngRealSize(sealImage) : undefined;
  return real ? { width: real.width, height: real.height + sealTextHeight } : sealSize;
}

/**
 * The automatic place (page index and rect) for a signature of this mode, found from the
 * PDF's text or its signer's signature. Throws NOT_FOUND (reason LAYOUT_NOT_FOUND) when there is none.
 */
export async function automaticPlacement(request: PlacementRequest): Promise<Placement> {
  const { mode, source } = request;
  if (mode === 'signer') {
    const name = request.signerName ?? '';
    const layout = request.layout ?? (await readLayout(source));
    const block = name.trim() ? signerBlock(layout, name) : undefined;
    if (!block) throw new AppError('NOT_FOUND', 'The signer block (position and name) was not found; place the signature by hand', { reason: 'LAYOUT_NOT_FOUND', name });
    return { page: block.page, rect: block.rect };
  }
  if (mode === 'agency') {
    const pdf = PdfFile.open(source);
    let first;
    try {
      first = findSignatures(pdf)[0];
    } finally {
      pdf.close();
    }
    if (!first?.rect || first.pageIndex === undefined || first.rect.length !== 4 || first.rect.every((v) => v === 0)) {
      throw new AppError('NOT_FOUND', "The signer's visible signature was not found; place the seal by hand", { reason: 'LAYOUT_NOT_FOUND' });
    }
    const box = agencyBoxSize(request.sealImage);
    return { page: first.pageIndex, rect: sealRect(first.rect as Rect, box.width, box.height) };
  }
  const first = pageSizes(source)[0] ?? { width: 595, height: 842 };
  const size = textBoxSize(request.lines ?? []);
  return { page: 0, rect: topRight(first, size.width, size.height) };
}

/** The number / date blanks the signer's step reserves as read-only fields (the clerk's number fills them). */
export function numberFieldSlots(layout: PageText): ReservedSlot[] {
  const slots = numberSlots(layout);
  return (['number', 'day', 'month'] as NumberSlot[]).flatMap((slot) => {
    const found = slots[slot];
    return found ? [{ slot, page: found.page, rect: found.rect, size: found.size }] : [];
  });
}

/** Bottom-right of a page, inside 20 mm margins (right) and 25 mm (bottom). */
export function bottomRight(page: PageSize, width: number, height: number): Rect {
  const right = page.width - 57;
  const bottom = 71;
  return [right - width, bottom, right, bottom + height];
}

/** A place to start from when the automatic one cannot be found: the signer's or seal's box at the bottom right of the last page; a stamp top-right of page 1. */
export function fallbackPlacement(mode: AppearanceMode, pages: PageSize[], lines: string[] = []): Placement {
  const last = Math.max(0, pages.length - 1);
  const size = (i: number): PageSize => pages[i] ?? { width: 595, height: 842 };
  if (mode === 'signer') return { page: last, rect: bottomRight(size(last), signerDefaultSize.width, signerDefaultSize.height) };
  if (mode === 'agency') return { page: last, rect: bottomRight(size(last), sealSize.width, sealSize.height) };
  const box = textBoxSize(lines);
  return { page: 0, rect: topRight(size(0), box.width, box.height) };
}

/** Whether an error is the "no automatic place" refusal (the preview falls back, signing refuses). */
export function isLayoutNotFound(error: unknown): boolean {
  return error instanceof AppError && (error.details as { reason?: unknown } | undefined)?.reason === 'LAYOUT_NOT_FOUND';
}
