/**
 * Visible signature appearances per NĐ 30 Phụ lục I (standards doc §4.9), one mode each:
 *  - signer:   the person's handwritten signature image (blue, transparent PNG), centred
 *              between the position line and the name; optional text (name, time).
 *  - agency:   the red seal image at real size, its right third over the signer's image;
 *              agency name and time yyyy-MM-ddTHH:mm:ss+07:00.
 *  - appendix: no image; top-right of page 1; số/ký hiệu and time; Times New Roman 10, black.
 *  - copy:     no image; top-right of page 1 (box 14); SAO Y / SAO LỤC / TRÍCH SAO, copying
 *              agency, số/ký hiệu of the copy, time; Times New Roman 10, black.
 */
import { AppError } from '../api/errors.js';
import { FontChain } from './font.js';
import { decodePng, embedPng } from './png.js';
import { PdfStream, dict, name, type PdfRef } from './pdf/objects.js';
import type { IncrementalUpdate } from './pdf/writer.js';
import type { VisibleAppearance } from './pades.js';
import type { Rect } from './layout.js';

export type AppearanceMode = 'signer' | 'agency' | 'appendix' | 'copy';

export interface AppearanceSpec {
  mode: AppearanceMode;
  page: number;
  rect: Rect;
  /** PNG bytes (signer: signature image; agency: seal) */
  image?: Buffer;
  /** text lines drawn in the box (below the image for signer/agency) */
  lines?: string[];
  fontSize?: number;
  fontPath?: string;
  /** RGB 0..1 of the text (black by default) */
  color?: [number, number, number];
}

const f = (n: number): string => (Math.round(n * 1000) / 1000).toString();

/** Real size of a PNG in points from its pHYs chunk (seal images); undefined when it does not say. */
export function pngRealSize(png: Buffer): { width: number; height: number } | undefined {
  const d = decodePng(png);
  if (!d.ppm) return undefined;
  const ptPerPx = 72 / (d.ppm * 0.0254);
  return { width: d.width * ptPerPx, height: d.height * ptPerPx };
}

export function appearance(spec: AppearanceSpec): VisibleAppearance {
  if ((spec.mode === 'appendix' || spec.mode === 'copy') && spec.image) {
    throw new AppError('INVALID_INPUT', 'Appendix and copy signatures carry no image (NĐ 30)', { reason: 'APPEARANCE_NO_IMAGE' });
  }
  return {
    page: spec.page,
    rect: spec.rect,
    build(update: IncrementalUpdate, width: number, height: number): PdfRef {
      const ops: string[] = [];
      const resources: Record<string, PdfRef> = {};
      const lines = (spec.lines ?? []).filter((l) => l.trim() !== '');
      const size = spec.fontSize ?? (spec.mode === 'appendix' || spec.mode === 'copy' ? 10 : 8);
      const leading = size * 1.2;
      const textHeight = lines.length * leading;
      if (spec.image) {
        const png = decodePng(spec.image);
        resources['Im1'] = embedPng(update, png);
        // the image fills the box above the text, aspect ratio kept, centred
        const boxH = Math.max(1, height - textHeight);
        const scale = Math.min(width / png.width, boxH / png.height);
        const w = png.width * scale;
        const h = png.height * scale;
        ops.push(`q ${f(w)} 0 0 ${f(h)} ${f((width - w) / 2)} ${f(textHeight + (boxH - h) / 2)} cm /Im1 Do Q`);
      }
      let fonts: Record<string, PdfRef> | undefined;
      if (lines.length) {
        const font = FontChain.load('regular', spec.fontPath);
        const [r, g, b] = spec.color ?? [0, 0, 0];
        const centred = spec.mode === 'signer' || spec.mode === 'agency' || spec.mode === 'copy';
        ops.push(`BT ${f(r)} ${f(g)} ${f(b)} rg`);
        let y = spec.image ? textHeight - size : height - size;
        for (const line of lines) {
          let s = size;
          let w = font.widthOf(line, s);
          if (w > width) {
            s = (s * width) / w; // shrink a too-long line rather than cut it
            w = width;
          }
          const x = centred ? (width - w) / 2 : 0;
          ops.push(`1 0 0 1 ${f(x)} ${f(y)} Tm ${font.show(line, s)}`);
          y -= leading;
        }
        ops.push('ET');
        fonts = font.embed(update);
      }
      const res = dict({
        XObject: Object.keys(resources).length ? dict(resources) : undefined,
        Font: fonts ? dict(fonts) : undefined,
      });
      return update.add(new PdfStream(dict({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, width, height], Resources: res }), Buffer.from(ops.join('\n'), 'latin1')));
    },
  };
}

/** Box size for text-only appearances (appendix, copy) in Times 10. */
export function textBoxSize(lines: string[], fontSize = 10, fontPath?: string): { width: number; height: number } {
  const font = FontChain.load('regular', fontPath);
  const width = Math.max(...lines.map((l) => font.widthOf(l, fontSize)), 10) + 2;
  return { width, height: lines.length * fontSize * 1.2 + 2 };
}
