/**
 * Signatures in a PDF and what changed after each of them.
 *
 * A later incremental update can hide, overlay or replace signed content while
 * the old signature's byte range still checks out (the "shadow attacks"). The
 * only changes accepted after a signature are the ones issuance itself makes:
 *  - filling a text field (value and appearance) — the clerk's number and date;
 *  - new objects with numbers never used before (referenced only through the above);
 *  - the document information dictionary, /DSS (validation data) in the catalog,
 *    and NeedAppearances/DR/DA in the AcroForm.
 * A later signature's own update is covered by that signature (and checked by it).
 */
import { PdfDict, PdfRef, PdfStream, PdfString, sameValue, type PdfValue } from './pdf/objects.js';
import type { PdfFile, XrefEntry } from './pdf/reader.js';

export interface FoundSignature {
  fieldName: string;
  fieldRef?: PdfRef;
  sigRef?: PdfRef;
  sig: PdfDict;
  byteRange: number[];
  contents: Buffer;
  subFilter?: string;
  pageIndex?: number;
  rect?: number[];
}

export function findSignatures(file: PdfFile): FoundSignature[] {
  const out: FoundSignature[] = [];
  const acro = file.dictAt(file.catalog.get('AcroForm'));
  if (!acro) return out;
  const pages = file.pages();
  const pageIndex = new Map(pages.map((p, i) => [p.num, i]));
  const seen = new Set<number>();
  const walk = (node: PdfValue | undefined, parentName: string, inheritedFt?: string): void => {
    if (node instanceof PdfRef) {
      if (seen.has(node.num)) return;
      seen.add(node.num);
    }
    const d = file.dictAt(node);
    if (!d) return;
    const partial = file.resolve(d.get('T'));
    const own = partial instanceof PdfString ? partial.text() : '';
    const fullName = own ? (parentName ? `${parentName}.${own}` : own) : parentName;
    const ft = d.name('FT') ?? inheritedFt;
    const kids = file.resolve(d.get('Kids'));
    if (Array.isArray(kids) && kids.length > 0 && !d.has('V')) {
      for (const k of kids) walk(k, fullName, ft);
      return;
    }
    if (ft !== 'Sig') return;
    const vRaw = d.get('V');
    const sig = file.dictAt(vRaw);
    if (!sig) return;
    const br = file.resolve(sig.get('ByteRange'));
    const contents = file.resolve(sig.get('Contents'));
    if (!Array.isArray(br) || !(contents instanceof PdfString)) return;
    const p = d.get('P');
    const widget = Array.isArray(kids) ? file.dictAt(kids[0]) : d;
    const pRef = p instanceof PdfRef ? p : widget?.get('P');
    const rect = file.resolve(widget?.get('Rect'));
    out.push({
      fieldName: fullName,
      fieldRef: node instanceof PdfRef ? node : undefined,
      sigRef: vRaw instanceof PdfRef ? vRaw : undefined,
      sig,
      byteRange: br.filter((x): x is number => typeof x === 'number'),
      contents: contents.bytes,
      subFilter: sig.name('SubFilter'),
      pageIndex: pRef instanceof PdfRef ? pageIndex.get(pRef.num) : undefined,
      rect: Array.isArray(rect) ? rect.filter((x): x is number => typeof x === 'number') : undefined,
    });
  };
  const fields = file.resolve(acro.get('Fields'));
  if (Array.isArray(fields)) for (const f of fields) walk(f, '');
  return out.sort((a, b) => signedEnd(a) - signedEnd(b));
}

export function signedEnd(s: FoundSignature): number {
  const [, , c = 0, d = 0] = s.byteRange;
  return c + d;
}

export interface Change {
  num: number;
  allowed: boolean;
  kind: 'form-fill' | 'new-object' | 'metadata' | 'validation-data' | 'signature' | 'other';
  why: string;
}

export interface ChangeReport {
  /** bytes after the signed range */
  trailingBytes: number;
  changes: Change[];
  allowed: boolean;
}

const TEXT_FILL_KEYS = new Set(['V', 'AP', 'AS', 'M']);

function diffKeys(a: PdfDict, b: PdfDict): string[] {
  const keys = new Set([...a.map.keys(), ...b.map.keys()]);
  return [...keys].filter((k) => !sameValue(a.get(k), b.get(k)));
}

/** Classifies every object that differs between the file as of `endOffset` and the file now. */
export function changesAfter(file: PdfFile, endOffset: number, laterSignatures: FoundSignature[] = []): ChangeReport {
  const trailingBytes = file.size - endOffset;
  if (trailingBytes <= 0) return { trailingBytes: 0, changes: [], allowed: true };
  const before = file.viewBefore(endOffset);
  const now = file.xref;
  const oldSection = file.sections.filter((s) => s.offset < endOffset).sort((a, b) => b.offset - a.offset)[0];
  const oldSize = typeof oldSection?.trailer.get('Size') === 'number' ? (oldSection.trailer.get('Size') as number) : 0;
  const changes: Change[] = [];
  const laterSigObjects = new Set<number>();
  for (const s of laterSignatures) {
    if (s.sigRef) laterSigObjects.add(s.sigRef.num);
    if (s.fieldRef) laterSigObjects.add(s.fieldRef.num);
  }
  const newRoot = file.trailer.get('Root');
  const oldRoot = oldSection?.trailer.get('Root');
  if (!(newRoot instanceof PdfRef) || !(oldRoot instanceof PdfRef) || newRoot.num !== oldRoot.num) {
    changes.push({ num: 0, allowed: false, kind: 'other', why: 'the document catalog was replaced' });
  }
  const oldInfo = oldSection?.trailer.get('Info');
  for (const [num, entry] of now) {
    const prior = before.get(num);
    if (prior && sameEntry(prior, entry)) continue;
    if (!prior && entry.kind === 'free') continue;
    const oldValue = prior ? file.getObject(num, before) : undefined;
    const newValue = entry.kind === 'free' ? undefined : file.getObject(num, now);
    changes.push(classify(file, num, oldValue, newValue, oldSize, oldInfo, laterSigObjects));
  }
  return { trailingBytes, changes, allowed: changes.every((c) => c.allowed) };
}

function sameEntry(a: XrefEntry, b: XrefEntry): boolean {
  if (a.kind === 'offset' && b.kind === 'offset') return a.offset === b.offset;
  if (a.kind === 'objstm' && b.kind === 'objstm') return a.stream === b.stream && a.index === b.index;
  return a.kind === b.kind;
}

function classify(
  file: PdfFile,
  num: number,
  oldValue: PdfValue | undefined,
  newValue: PdfValue | undefined,
  oldSize: number,
  oldInfo: PdfValue | undefined,
  laterSigObjects: Set<number>,
): Change {
  if (oldValue === undefined || oldValue === null) {
    if (newValue === undefined) return { num, allowed: true, kind: 'new-object', why: `object ${num} freed` };
    if (num < oldSize) return { num, allowed: false, kind: 'other', why: `object ${num} (a number already in use) was defined after signing` };
    return { num, allowed: true, kind: 'new-object', why: `new object ${num}` };
  }
  if (newValue === undefined) return { num, allowed: false, kind: 'other', why: `object ${num} was deleted` };
  if (laterSigObjects.has(num)) return { num, allowed: true, kind: 'signature', why: `signature object ${num}` };
  if (oldInfo instanceof PdfRef && oldInfo.num === num) return { num, allowed: true, kind: 'metadata', why: 'document information' };
  if (oldValue instanceof PdfStream || newValue instanceof PdfStream) {
    if (oldValue instanceof PdfStream && oldValue.dict.name('Type') === 'Metadata') return { num, allowed: true, kind: 'metadata', why: 'XMP metadata' };
    return { num, allowed: false, kind: 'other', why: `stream object ${num} (page content, image or font) was changed` };
  }
  if (!(oldValue instanceof PdfDict) || !(newValue instanceof PdfDict)) {
    if (Array.isArray(oldValue) && Array.isArray(newValue)) {
      if (grows(file, oldValue, newValue, laterSigObjects)) return { num, allowed: true, kind: 'signature', why: `later signature field added to list ${num}` };
      return { num, allowed: false, kind: 'other', why: `array object ${num} (annotations or fields list) was changed` };
    }
    return { num, allowed: false, kind: 'other', why: `object ${num} was changed` };
  }
  const keys = diffKeys(oldValue, newValue);
  const type = oldValue.name('Type');
  const ft = fieldType(file, oldValue);
  if (ft === 'Tx' && keys.every((k) => TEXT_FILL_KEYS.has(k))) return { num, allowed: true, kind: 'form-fill', why: `text field ${num} filled` };
  if (keys.length > 0 && keys.every((k) => k === 'Annots') && grows(file, oldValue.get('Annots'), newValue.get('Annots'), laterSigObjects)) {
    return { num, allowed: true, kind: 'signature', why: `page ${num}: widget of a later signature added` };
  }
  if (type === 'Catalog') {
    const other = keys.filter((k) => k !== 'DSS' && k !== 'AcroForm');
    if (other.length === 0 && (!keys.includes('AcroForm') || acroFormOnly(file, oldValue.get('AcroForm'), newValue.get('AcroForm'), laterSigObjects))) {
      return { num, allowed: true, kind: keys.includes('DSS') ? 'validation-data' : 'signature', why: 'catalog: form or validation data' };
    }
    return { num, allowed: false, kind: 'other', why: `catalog changed (${keys.join(', ')})` };
  }
  if (oldValue.has('Fields') && acroFormOnly(file, oldValue, newValue, laterSigObjects)) {
    return { num, allowed: true, kind: keys.includes('Fields') ? 'signature' : 'form-fill', why: 'form: signature fields or defaults' };
  }
  return { num, allowed: false, kind: 'other', why: `object ${num}${type ? ` (/${type})` : ''} changed (${keys.join(', ')})` };
}

/** The AcroForm changed only by defaults, or by fields of later signatures (with SigFlags). */
function acroFormOnly(file: PdfFile, a: PdfValue | undefined, b: PdfValue | undefined, laterSig: Set<number>): boolean {
  const da = file.dictAt(a) ?? new PdfDict();
  const db = file.dictAt(b);
  if (!db) return false;
  return diffKeys(da, db).every((k) => {
    if (k === 'NeedAppearances' || k === 'DR' || k === 'DA') return true;
    if (k === 'SigFlags') return laterSig.size > 0;
    if (k === 'Fields') return grows(file, da.get('Fields'), db.get('Fields'), laterSig);
    return false;
  });
}

/** New array = old array + references to later signatures' fields (nothing removed or reordered). */
function grows(file: PdfFile, a: PdfValue | undefined, b: PdfValue | undefined, laterSig: Set<number>): boolean {
  const oldArr = a === undefined ? [] : file.resolve(a);
  const newArr = file.resolve(b);
  if (!Array.isArray(oldArr) || !Array.isArray(newArr) || newArr.length < oldArr.length) return false;
  if (!oldArr.every((v, i) => sameValue(v, newArr[i]))) return false;
  const added = newArr.slice(oldArr.length);
  return added.length > 0 && added.every((v) => v instanceof PdfRef && laterSig.has(v.num));
}

function fieldType(file: PdfFile, d: PdfDict): string | undefined {
  let cur: PdfDict | undefined = d;
  for (let i = 0; cur && i < 16; i += 1) {
    const ft = cur.name('FT');
    if (ft) return ft;
    cur = file.dictAt(cur.get('Parent'));
  }
  return undefined;
}

/** What changed after the last signature (the check before adding another). */
export function changesAfterLastSignature(file: PdfFile): ChangeReport {
  const sigs = findSignatures(file);
  const last = sigs.at(-1);
  if (!last) return { trailingBytes: 0, changes: [], allowed: true };
  return changesAfter(file, signedEnd(last));
}
