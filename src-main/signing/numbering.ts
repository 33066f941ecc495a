/**
 * The clerk's number and date between the signer's and the agency's signatures
 * (NĐ 30 Điều 15; standards doc §4.11).
 *
 * Design: the signer's signature update also creates read-only text fields over
 * the blanks of the "Số: …/QĐ-UBND" and "ngày … tháng …" lines (empty, so the
 * signer signs a document where the number will go exactly there). At issuance,
 * an incremental update fills those fields — value and appearance only — which
 * is a form fill: the signer's signature still verifies (pdfsig agrees) and our
 * shadow-attack check accepts exactly this kind of change and nothing else.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../api/errors.js';
import { FontChain } from './font.js';
import type { Rect } from './layout.js';
import { PdfRef, PdfStream, PdfString, dict, name, textString, type PdfDict, type PdfValue } from './pdf/objects.js';
import { PdfFile } from './pdf/reader.js';
import { IncrementalUpdate } from './pdf/writer.js';
import { addToPage, type SignPdfOptions } from './pades.js';

export const NUMBER_FIELDS = { number: 'vanthu_so', day: 'vanthu_ngay', month: 'vanthu_thang' } as const;
export type NumberSlot = keyof typeof NUMBER_FIELDS;

export interface ReservedSlot {
  slot: NumberSlot;
  /** 0-based page */
  page: number;
  rect: Rect;
  /** font size of the line it sits on */
  size?: number;
}

/** An `extend` hook for signPdf: empty read-only text fields over the number/date blanks. */
export function reserveNumberFields(slots: ReservedSlot[]): NonNullable<SignPdfOptions['extend']> {
  return (update, file, context) => {
    const pages = file.pages();
    const otherPages = new Map<number, { pageRef: PdfRef; widgets: PdfRef[] }>();
    for (const s of slots) {
      const pageRef = pages[s.page];
      if (!pageRef) throw new AppError('INVALID_INPUT', `No page ${s.page + 1} for the number field`, { reason: 'NO_SUCH_PAGE' });
      const [x1, y1, x2, y2] = s.rect;
      const empty = update.add(new PdfStream(dict({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, x2 - x1, y2 - y1] }), Buffer.alloc(0)));
      const field = update.add(
        dict({
          Type: name('Annot'),
          Subtype: name('Widget'),
          FT: name('Tx'),
          T: textString(NUMBER_FIELDS[s.slot]),
          Ff: 1, // ReadOnly: filled by the app at issuance, not typed in a viewer
          F: 4, // Print
          Rect: s.rect,
          P: pageRef,
          DA: new PdfString(Buffer.from(`/Helv ${s.size ?? 13} Tf 0 g`, 'latin1')),
          Q: 1,
          AP: dict({ N: empty }),
        }),
      );
      if (pageRef.num === context.pageRef.num) context.pageWidgets.push(field);
      else otherPages.set(pageRef.num, { pageRef, widgets: [...(otherPages.get(pageRef.num)?.widgets ?? []), field] });
      context.acroFields.push(field);
    }
    for (const { pageRef, widgets } of otherPages.values()) addToPage(update, file, pageRef, widgets);
  };
}

interface FieldHit {
  ref: PdfRef;
  dict: PdfDict;
}

function findTextFields(file: PdfFile): Map<string, FieldHit> {
  const out = new Map<string, FieldHit>();
  const acro = file.dictAt(file.catalog.get('AcroForm'));
  const fields = file.resolve(acro?.get('Fields'));
  if (!Array.isArray(fields)) return out;
  for (const f of fields) {
    if (!(f instanceof PdfRef)) continue;
    const d = file.dictAt(f);
    const t = d?.get('T');
    if (d && d.name('FT') === 'Tx' && t instanceof PdfString) out.set(t.text(), { ref: f, dict: d });
  }
  return out;
}

export interface FillNumberOptions {
  input: string;
  output: string;
  values: Partial<Record<NumberSlot, string>>;
  fontPath?: string;
}

/**
 * Writes the number/date into the reserved fields as an incremental update that
 * changes only the fields' /V and /AP. Refuses when a field is missing or already filled.
 */
export async function fillNumber(options: FillNumberOptions): Promise<{ output: string; filled: string[] }> {
  const file = PdfFile.open(options.input);
  const temp = path.join(path.dirname(path.resolve(options.output)), `.${path.basename(options.output)}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  try {
    const fields = findTextFields(file);
    const update = new IncrementalUpdate(file);
    const font = FontChain.load('regular', options.fontPath);
    const pending: { hit: FieldHit; text: string; rect: number[]; size: number }[] = [];
    for (const [slot, text] of Object.entries(options.values) as [NumberSlot, string | undefined][]) {
      if (text === undefined) continue;
      const hit = fields.get(NUMBER_FIELDS[slot]);
      if (!hit) throw new AppError('NOT_FOUND', `The document has no reserved ${slot} field (it must be reserved when the signer signs)`, { reason: 'NUMBER_FIELD_MISSING', slot });
      const v = hit.dict.get('V');
      if (v instanceof PdfString && v.text() !== '') throw new AppError('CONFLICT', `The ${slot} is already filled`, { reason: 'NUMBER_ALREADY_FILLED', slot });
      const rect = (file.resolve(hit.dict.get('Rect')) as PdfValue[]).filter((x): x is number => typeof x === 'number');
      const da = hit.dict.get('DA');
      const size = da instanceof PdfString ? Number(/([\d.]+)\s+Tf/.exec(da.text())?.[1] ?? 13) : 13;
      font.widthOf(text, 1); // registers the glyphs for the subset
      pending.push({ hit, text, rect, size });
    }
    const fontRes = font.embed(update);
    const filled: string[] = [];
    for (const p of pending) {
      const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = p.rect;
      const w = x2 - x1;
      const h = y2 - y1;
      let size = p.size;
      let tw = font.widthOf(p.text, size);
      if (tw > w) {
        size = (size * w) / tw;
        tw = w;
      }
      const baseline = h * 0.25;
      const ops = `/Tx BMC q BT 0 g 1 0 0 1 ${((w - tw) / 2).toFixed(2)} ${baseline.toFixed(2)} Tm ${font.show(p.text, size)} ET Q EMC`;
      const ap = update.add(
        new PdfStream(dict({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, w, h], Resources: dict({ Font: dict(fontRes) }) }), Buffer.from(ops, 'latin1')),
      );
      const changed = p.hit.dict.clone();
      changed.set('V', textString(p.text));
      changed.set('AP', dict({ N: ap }));
      update.set(p.hit.ref, changed);
      const t = p.hit.dict.get('T');
      filled.push(t instanceof PdfString ? t.text() : '');
    }
    const built = update.build();
    await fs.promises.copyFile(options.input, temp);
    const fh = await fs.promises.open(temp, 'r+');
    try {
      await fh.write(built.bytes, 0, built.bytes.length, file.size);
      await fh.sync();
    } finally {
      await fh.close();
    }
    fs.renameSync(temp, options.output);
    return { output: options.output, filled };
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  } finally {
    file.close();
  }
}


