/**
 * Random-access PDF reader: follows startxref → xref tables / xref streams (with
 * /Prev and hybrid /XRefStm), fetches single objects (also from object streams)
 * by reading small windows of the file. Memory does not grow with file size: a
 * 200 MB PDF costs its xref and the handful of objects the signer touches.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { Lexer, NeedMore, PdfDict, PdfName, PdfRef, PdfStream, pdfError, type PdfValue } from './objects.js';

export type XrefEntry =
  | { kind: 'offset'; offset: number; gen: number }
  | { kind: 'objstm'; stream: number; index: number }
  | { kind: 'free' };

export interface XrefSection {
  /** offset this section starts at (what startxref / Prev point to) */
  offset: number;
  kind: 'table' | 'stream';
  entries: Map<number, XrefEntry>;
  trailer: PdfDict;
}

const WINDOW = 8192;

export class PdfFile {
  readonly size: number;
  readonly sections: XrefSection[] = [];
  /** merged view, newest entry wins */
  readonly xref = new Map<number, XrefEntry>();
  readonly startxref: number;
  private readonly cache = new Map<string, PdfValue>();
  private readonly objStms = new Map<number, { offsets: number[]; data: Buffer; first: number }>();

  private constructor(
    private readonly fd: number,
    readonly path: string,
  ) {
    this.size = fs.fstatSync(fd).size;
    this.startxref = this.findStartxref();
    this.readXrefChain(this.startxref);
    for (const section of [...this.sections].reverse()) for (const [n, e] of section.entries) this.xref.set(n, e);
  }

  static open(file: string): PdfFile {
    const fd = fs.openSync(file, 'r');
    try {
      return new PdfFile(fd, file);
    } catch (error) {
      fs.closeSync(fd);
      throw error;
    }
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  get trailer(): PdfDict {
    const first = this.sections[0];
    if (!first) throw pdfError('No trailer');
    return first.trailer;
  }

  /** true when the newest section is an xref stream: the update must write one too. */
  get usesXrefStream(): boolean {
    return this.sections[0]?.kind === 'stream';
  }

  read(offset: number, length: number): Buffer {
    const len = Math.max(0, Math.min(length, this.size - offset));
    const buf = Buffer.alloc(len);
    let done = 0;
    while (done < len) {
      const n = fs.readSync(this.fd, buf, done, len - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return buf.subarray(0, done);
  }

  /** The file's last byte is an end-of-line? (to know whether an update needs a leading newline) */
  endsWithEol(): boolean {
    const last = this.read(this.size - 1, 1)[0];
    return last === 10 || last === 13;
  }

  private findStartxref(): number {
    const tailLength = Math.min(this.size, 4096);
    const tail = this.read(this.size - tailLength, tailLength).toString('latin1');
    if (!/%PDF-/.test(this.read(0, 1024).toString('latin1'))) throw pdfError('Not a PDF file (no %PDF- header)', 'NOT_PDF');
    const at = tail.lastIndexOf('startxref');
    if (at < 0) throw pdfError('No startxref at the end of the file');
    const m = /^startxref\s+(\d+)/.exec(tail.slice(at));
    if (!m) throw pdfError('Bad startxref');
    return Number(m[1]);
  }

  /** Parses with a growing window until the value fits. */
  private parseAt<T>(offset: number, fn: (lexer: Lexer) => T): T {
    for (let window = WINDOW; ; window *= 8) {
      const buf = this.read(offset, window);
      const partial = offset + buf.length < this.size;
      try {
        return fn(new Lexer(buf, 0, partial));
      } catch (error) {
        if (error instanceof NeedMore && partial) continue;
        throw error;
      }
    }
  }

  private readXrefChain(start: number): void {
    const seen = new Set<number>();
    let next: number | undefined = start;
    while (next !== undefined) {
      if (seen.has(next) || next < 0 || next >= this.size) throw pdfError(`Broken xref chain at ${next}`);
      seen.add(next);
      const section = this.readXrefSection(next);
      this.sections.push(section);
      const xrefStm = section.trailer.get('XRefStm');
      if (section.kind === 'table' && typeof xrefStm === 'number') {
        // hybrid file: the table's own entries win over the stream's
        const extra = this.readXrefSection(xrefStm);
        for (const [n, e] of extra.entries) if (!section.entries.has(n)) section.entries.set(n, e);
      }
      const prev = section.trailer.get('Prev');
      next = typeof prev === 'number' ? prev : undefined;
    }
  }

  private readXrefSection(offset: number): XrefSection {
    const head = this.read(offset, 4).toString('latin1');
    if (head === 'xref') return this.readXrefTable(offset);
    return this.readXrefStream(offset);
  }

  private readXrefTable(offset: number): XrefSection {
    return this.parseAt(offset, (lx) => {
      lx.expectWord('xref');
      const entries = new Map<number, XrefEntry>();
      for (;;) {
        const w = lx.word();
        if (w === 'trailer') break;
        const count = Number(lx.word());
        let first = Number(w);
        if (!Number.isInteger(first) || !Number.isInteger(count)) throw pdfError(`Bad xref subsection at ${offset}`);
        // some writers number the first subsection from 1 by mistake; trust the file as written
        for (let i = 0; i < count; i += 1, first += 1) {
          const off = Number(lx.word());
          const gen = Number(lx.word());
          const type = lx.word();
          if (type === 'n') {
            if (!entries.has(first)) entries.set(first, { kind: 'offset', offset: off, gen });
          } else if (type === 'f') {
            if (!entries.has(first)) entries.set(first, { kind: 'free' });
          } else throw pdfError(`Bad xref entry at ${offset}`);
        }
      }
      const trailer = lx.value();
      if (!(trailer instanceof PdfDict)) throw pdfError('Bad trailer');
      return { offset, kind: 'table' as const, entries, trailer };
    });
  }

  private readXrefStream(offset: number): XrefSection {
    const obj = this.readIndirectAt(offset);
    if (!(obj.value instanceof PdfStream) || obj.value.dict.name('Type') !== 'XRef') throw pdfError(`No xref at ${offset}`);
    const stream = obj.value;
    const d = stream.dict;
    const data = this.decodeStream(stream);
    const w = (d.get('W') as number[] | undefined) ?? [];
    const [w0 = 1, w1 = 0, w2 = 0] = w;
    const size = d.get('Size') as number;
    const index = (d.get('Index') as number[] | undefined) ?? [0, size];
    const entries = new Map<number, XrefEntry>();
    const rowLength = w0 + w1 + w2;
    let row = 0;
    const field = (at: number, width: number, dflt: number): number => {
      if (width === 0) return dflt;
      let v = 0;
      for (let i = 0; i < width; i += 1) v = v * 256 + (data[at + i] ?? 0);
      return v;
    };
    for (let k = 0; k + 1 < index.length; k += 2) {
      const first = index[k] as number;
      const count = index[k + 1] as number;
      for (let i = 0; i < count; i += 1, row += 1) {
        const at = row * rowLength;
        if (at + rowLength > data.length) break;
        const type = field(at, w0, 1);
        const a = field(at + w0, w1, 0);
        const b = field(at + w0 + w1, w2, 0);
        const num = first + i;
        if (type === 0) entries.set(num, { kind: 'free' });
        else if (type === 1) entries.set(num, { kind: 'offset', offset: a, gen: b });
        else if (type === 2) entries.set(num, { kind: 'objstm', stream: a, index: b });
      }
    }
    return { offset, kind: 'stream', entries, trailer: d };
  }

  /** Reads "n g obj … endobj" at an offset. Stream data is located, not loaded. */
  readIndirectAt(offset: number): { num: number; gen: number; value: PdfValue } {
    return this.parseAt(offset, (lx) => {
      const num = Number(lx.word());
      const gen = Number(lx.word());
      lx.expectWord('obj');
      const value = lx.value();
      if (value instanceof PdfDict) {
        const save = lx.pos;
        const w = lx.word();
        if (w === 'stream') {
          let p = lx.pos;
          if (lx.buf[p] === 13) p += 1;
          if (lx.buf[p] === 10) p += 1;
          return { num, gen, value: new PdfStream(value, undefined, offset + p) };
        }
        lx.pos = save;
      }
      if (!Number.isInteger(num) || !Number.isInteger(gen)) throw pdfError(`Bad object header at ${offset}`);
      return { num, gen, value };
    });
  }

  /** An object by number, through the merged xref (or a given view of it). */
  getObject(num: number, view: Map<number, XrefEntry> = this.xref): PdfValue | undefined {
    const entry = view.get(num);
    if (!entry || entry.kind === 'free') return undefined;
    const key = entry.kind === 'offset' ? `o${entry.offset}` : `s${entry.stream}.${entry.index}`;
    if (this.cache.has(key)) return this.cache.get(key);
    let value: PdfValue;
    if (entry.kind === 'offset') {
      const obj = this.readIndirectAt(entry.offset);
      if (obj.num !== num) throw pdfError(`xref points object ${num} at object ${obj.num}`);
      value = obj.value;
    } else {
      value = this.fromObjectStream(entry.stream, entry.index, view);
    }
    this.cache.set(key, value);
    return value;
  }

  private fromObjectStream(streamNum: number, index: number, view: Map<number, XrefEntry>): PdfValue {
    let stm = this.objStms.get(streamNum);
    if (!stm) {
      const s = this.getObject(streamNum, view);
      if (!(s instanceof PdfStream)) throw pdfError(`Object stream ${streamNum} missing`);
      const data = this.decodeStream(s);
      const n = s.dict.get('N') as number;
      const first = s.dict.get('First') as number;
      const lx = new Lexer(data.subarray(0, first));
      const offsets: number[] = [];
      for (let i = 0; i < n; i += 1) {
        lx.word();
        offsets.push(Number(lx.word()));
      }
      stm = { offsets, data, first };
      if (this.objStms.size > 8) this.objStms.clear();
      this.objStms.set(streamNum, stm);
    }
    const off = stm.offsets[index];
    if (off === undefined) throw pdfError(`Object stream ${streamNum} has no index ${index}`);
    return new Lexer(stm.data, stm.first + off).value();
  }

  resolve(v: PdfValue | undefined): PdfValue | undefined {
    let cur = v;
    for (let i = 0; cur instanceof PdfRef && i < 32; i += 1) cur = this.getObject(cur.num);
    return cur;
  }

  dictAt(v: PdfValue | undefined): PdfDict | undefined {
    const r = this.resolve(v);
    return r instanceof PdfDict ? r : r instanceof PdfStream ? r.dict : undefined;
  }

  streamData(stream: PdfStream): Buffer {
    if (stream.data) return stream.data;
    const length = this.resolve(stream.dict.get('Length'));
    if (typeof length !== 'number') throw pdfError('Stream without /Length');
    stream.data = this.read(stream.dataOffset, length);
    return stream.data;
  }

  decodeStream(stream: PdfStream): Buffer {
    let data = this.streamData(stream);
    const filters = this.resolve(stream.dict.get('Filter'));
    const list = filters === undefined || filters === null ? [] : Array.isArray(filters) ? filters : [filters];
    const parmsRaw = this.resolve(stream.dict.get('DecodeParms'));
    const parmsList = Array.isArray(parmsRaw) ? parmsRaw : [parmsRaw];
    list.forEach((f, i) => {
      const fname = f instanceof PdfName ? f.name : '';
      if (fname !== 'FlateDecode') throw pdfError(`Unsupported stream filter ${fname}`, 'PDF_UNSUPPORTED');
      data = zlib.inflateSync(data, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
      const parms = this.dictAt(parmsList[i] ?? undefined);
      const predictor = parms?.get('Predictor');
      if (typeof predictor === 'number' && predictor >= 10) data = unpredictPng(data, (parms?.get('Columns') as number | undefined) ?? 1);
    });
    return data;
  }

  get catalog(): PdfDict {
    const root = this.dictAt(this.trailer.get('Root'));
    if (!root) throw pdfError('No document catalog');
    return root;
  }

  /** Page references in order. */
  pages(): PdfRef[] {
    const out: PdfRef[] = [];
    const seen = new Set<number>();
    const walk = (node: PdfValue | undefined): void => {
      if (!(node instanceof PdfRef) || seen.has(node.num)) return;
      seen.add(node.num);
      const d = this.dictAt(node);
      if (!d) return;
      if (d.name('Type') === 'Pages' || d.has('Kids')) {
        const kids = this.resolve(d.get('Kids'));
        if (Array.isArray(kids)) for (const k of kids) walk(k);
      } else out.push(node);
    };
    walk(this.catalog.get('Pages'));
    return out;
  }

  /** An inheritable page attribute (MediaBox, CropBox, Rotate, Resources). */
  pageAttribute(page: PdfRef, key: string): PdfValue | undefined {
    let d = this.dictAt(page);
    for (let i = 0; d && i < 32; i += 1) {
      if (d.has(key)) return this.resolve(d.get(key));
      d = this.dictAt(d.get('Parent'));
    }
    return undefined;
  }

  /** The merged xref as of the sections at or before a byte offset (the file as it was then). */
  viewBefore(endOffset: number): Map<number, XrefEntry> {
    const view = new Map<number, XrefEntry>();
    const older = this.sections.filter((s) => s.offset < endOffset).sort((a, b) => a.offset - b.offset);
    for (const s of older) for (const [n, e] of s.entries) view.set(n, e);
    return view;
  }
}

function unpredictPng(data: Buffer, columns: number): Buffer {
  const rowLength = columns + 1;
  const rows = Math.floor(data.length / rowLength);
  const out = Buffer.alloc(rows * columns);
  for (let r = 0; r < rows; r += 1) {
    const type = data[r * rowLength] as number;
    for (let c = 0; c < columns; c += 1) {
      const raw = data[r * rowLength + 1 + c] as number;
      const left = c > 0 ? (out[r * columns + c - 1] as number) : 0;
      const up = r > 0 ? (out[(r - 1) * columns + c] as number) : 0;
      const upLeft = r > 0 && c > 0 ? (out[(r - 1) * columns + c - 1] as number) : 0;
      let v = raw;
      if (type === 1) v = raw + left;
      else if (type === 2) v = raw + up;
      else if (type === 3) v = raw + Math.floor((left + up) / 2);
      else if (type === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        v = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      }
      out[r * columns + c] = v & 0xff;
    }
  }
  return out;
}
