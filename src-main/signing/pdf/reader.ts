/**
 * Random-access PDF reader: follows startxref → xref tables / xref streams (with
 * /Prev and hybrid /XRefStm), fetches single objects (also from object streams)
 * by reading small windows of the file. Memory does not grow with file size: a
 * 200 MB PDF costs its xref and the handful of objects the signer touches.
 *
 * Small files (up to 2 MB) are read whole at opening — one read instead of one per
 * object, and the verifier hashes them from memory. Of bigger files the last
 * 256 KB are kept (the newest update: xref, trailer, a signature's objects).
 * Xref table entries are decoded when looked up (20 bytes each, at a computed
 * place), so opening a file with thousands of objects does not parse them all.
 */
import crypto from 'node:crypto';
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
  /** all entries of the section (decoded on first use) */
  readonly entries: Map<number, XrefEntry>;
  /** one entry, decoding only it when possible */
  lookup(num: number): XrefEntry | undefined;
  trailer: PdfDict;
}

const WINDOW = 8192;
/** an xref table's first window (20 bytes an entry: 3,000 entries) */
const XREF_WINDOW = 65536;
/** files up to this size are read whole at opening */
const WHOLE = 2 << 20;
/** of bigger files, this much of the end is kept */
const TAIL = 256 << 10;
const HASH_CHUNK = 1 << 20;
const SYNC_HASH_LIMIT = 4 << 20;
/** an object's known extent up to this size is read in one go */
const FIRST_EXTENT = 65536;
/** … and up to this size when the first window was not enough (larger: grow by 8×) */
const MAX_EXTENT = 1 << 20;

export class PdfFile {
  readonly size: number;
  readonly sections: XrefSection[] = [];
  readonly startxref: number;
  private merged: Map<number, XrefEntry> | undefined;
  private readonly cache = new Map<number | string, PdfValue>();
  private readonly objStms = new Map<number, { offsets: number[]; data: Buffer; first: number }>();
  /** the xref sections are all read: object extents can be measured */
  private xrefRead = false;
  /** the file's last bytes (the whole file when small), read once at opening */
  private tail: Buffer | undefined;
  private tailStart = 0;
  /** sorted offsets of everything the xref sections point at (object and section starts) */
  private boundaries: Float64Array | undefined;

  private constructor(
    private readonly fd: number,
    readonly path: string,
  ) {
    this.size = fs.fstatSync(fd).size;
    this.startxref = this.findStartxref();
    this.readXrefChain(this.startxref);
    this.xrefRead = true;
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

  /** merged view, newest entry wins */
  get xref(): Map<number, XrefEntry> {
    if (!this.merged) {
      const merged = new Map<number, XrefEntry>();
      for (const section of [...this.sections].reverse()) for (const [n, e] of section.entries) merged.set(n, e);
      this.merged = merged;
    }
    return this.merged;
  }

  /** The newest entry of an object (what the merged view holds), without building the view. */
  entry(num: number): XrefEntry | undefined {
    if (this.merged) return this.merged.get(num);
    for (const section of this.sections) {
      const e = section.lookup(num);
      if (e) return e;
    }
    return undefined;
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

  /** Bytes of the file (a copy the caller may keep or change). */
  read(offset: number, length: number): Buffer {
    const len = Math.max(0, Math.min(length, this.size - offset));
    if (this.tail && offset >= this.tailStart) return Buffer.from(this.tail.subarray(offset - this.tailStart, offset - this.tailStart + len));
    return this.readFromDisk(offset, len);
  }

  private readFromDisk(offset: number, len: number): Buffer {
    const buf = Buffer.allocUnsafe(len);
    let done = 0;
    while (done < len) {
      const n = fs.readSync(this.fd, buf, done, len - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return buf.subarray(0, done);
  }

  /**
   * Digest of byte ranges [start, length] of the file: from memory for what was
   * kept at opening, else read through the open descriptor in chunks of at most
   * 1 MB (memory stays flat). Up to 4 MB in all is read synchronously (cheaper
   * than a round trip through the thread pool per chunk); more is read
   * asynchronously so a big file does not block the caller.
   */
  async hashRanges(ranges: [number, number][], algorithm: string): Promise<Buffer> {
    const hash = crypto.createHash(algorithm);
    const total = ranges.reduce((sum, [, length]) => sum + Math.max(0, length), 0);
    const sync = total <= SYNC_HASH_LIMIT;
    let chunk: Buffer | undefined;
    for (const [start, length] of ranges) {
      let done = 0;
      while (done < length) {
        const at = start + done;
        if (this.tail && at >= this.tailStart) {
          const part = this.tail.subarray(at - this.tailStart, at - this.tailStart + (length - done));
          if (part.length === 0) break;
          hash.update(part);
          done += part.length;
          continue;
        }
        chunk ??= Buffer.allocUnsafe(Math.max(1, Math.min(HASH_CHUNK, total)));
        const want = Math.min(chunk.length, length - done, this.tail ? this.tailStart - at : Infinity);
        const n = sync ? fs.readSync(this.fd, chunk, 0, want, at) : await readAsync(this.fd, chunk, want, at);
        if (n === 0) break;
        hash.update(chunk.subarray(0, n));
        done += n;
      }
    }
    return hash.digest();
  }

  /** The file's last byte is an end-of-line? (to know whether an update needs a leading newline) */
  endsWithEol(): boolean {
    const last = this.read(this.size - 1, 1)[0];
    return last === 10 || last === 13;
  }

  private findStartxref(): number {
    this.tailStart = this.size <= WHOLE ? 0 : this.size - TAIL;
    this.tail = this.readFromDisk(this.tailStart, this.size - this.tailStart);
    const head = this.tailStart === 0 ? this.tail.subarray(0, 1024) : this.readFromDisk(0, Math.min(this.size, 1024));
    if (!head.includes('%PDF-')) throw pdfError('Not a PDF file (no %PDF- header)', 'NOT_PDF');
    const tailLength = Math.min(this.tail.length, 4096);
    const tail = this.tail.toString('latin1', this.tail.length - tailLength);
    const at = tail.lastIndexOf('startxref');
    if (at < 0) throw pdfError('No startxref at the end of the file');
    const m = /^startxref\s+(\d+)/.exec(tail.slice(at));
    if (!m) throw pdfError('Bad startxref');
    return Number(m[1]);
  }

  /**
   * Parses the value at an offset: straight from memory when that part of the file
   * was kept at opening; else with a window of the file: first the object's extent
   * when it is known and small (up to the next object the xref knows of), else
   * 8 KB; when the value does not fit, the extent (or what the parser asked for),
   * else 8× the window.
   */
  private parseAt<T>(offset: number, fn: (lexer: Lexer) => T, extent = 0): T {
    if (this.tail && offset >= this.tailStart) return fn(new Lexer(this.tail.subarray(offset - this.tailStart), 0, false));
    let window = extent > 0 && extent <= FIRST_EXTENT ? extent : WINDOW;
    for (;;) {
      const buf = this.readFromDisk(offset, Math.max(0, Math.min(window, this.size - offset)));
      const partial = offset + buf.length < this.size;
      try {
        return fn(new Lexer(buf, 0, partial));
      } catch (error) {
        if (!(error instanceof NeedMore) || !partial) throw error;
        let next = window * 8;
        if (extent > window && extent <= MAX_EXTENT) next = extent;
        if (error.need > window) next = Math.max(error.need, window * 2);
        window = next;
      }
    }
  }

  /** Bytes from `offset` to the next known object or xref section (0 when unknown). */
  private extentAt(offset: number): number {
    if (!this.boundaries) {
      const all: number[] = [this.size];
      for (const section of this.sections) {
        all.push(section.offset);
        for (const e of section.entries.values()) if (e.kind === 'offset') all.push(e.offset);
      }
      this.boundaries = Float64Array.from(all).sort();
    }
    const b = this.boundaries;
    let lo = 0;
    let hi = b.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((b[mid] as number) <= offset) lo = mid + 1;
      else hi = mid;
    }
    const next = b[lo];
    return next === undefined ? 0 : next - offset;
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
      if (section instanceof TableSection && typeof xrefStm === 'number') {
        // hybrid file: the table's own entries win over the stream's
        section.fallback = this.readXrefSection(xrefStm);
      }
      const prev = section.trailer.get('Prev');
      next = typeof prev === 'number' ? prev : undefined;
    }
  }

  private readXrefSection(offset: number): XrefSection {
    const head = this.tail && offset >= this.tailStart ? this.tail.toString('latin1', offset - this.tailStart, offset - this.tailStart + 4) : this.read(offset, 4).toString('latin1');
    if (head === 'xref') return this.readXrefTable(offset);
    return this.readXrefStream(offset);
  }

  private readXrefTable(offset: number): XrefSection {
    return this.parseAt(offset, (lx) => parseXrefTable(lx, offset), Math.min(XREF_WINDOW, this.size - offset));
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
    return { offset, kind: 'stream', entries, trailer: d, lookup: (num) => entries.get(num) };
  }

  /** Reads "n g obj … endobj" at an offset. Stream data is located, not loaded. */
  readIndirectAt(offset: number): { num: number; gen: number; value: PdfValue } {
    return this.parseAt(offset, (lx) => {
      const num = lx.unsignedInt();
      const gen = lx.unsignedInt();
      if (num < 0 || gen < 0) throw pdfError(`Bad object header at ${offset}`);
      lx.expectWord('obj');
      const value = lx.value();
      if (value instanceof PdfDict) {
        const save = lx.pos;
        if (lx.keyword('stream')) {
          let p = lx.pos;
          if (lx.buf[p] === 13) p += 1;
          if (lx.buf[p] === 10) p += 1;
          return { num, gen, value: new PdfStream(value, undefined, offset + p) };
        }
        lx.pos = save;
      }
      return { num, gen, value };
    }, this.xrefRead && !(this.tail && offset >= this.tailStart) ? this.extentAt(offset) : 0);
  }

  /** An object by number, through the merged xref (or a given view of it). */
  getObject(num: number, view?: Map<number, XrefEntry>): PdfValue | undefined {
    const entry = view ? view.get(num) : this.entry(num);
    if (!entry || entry.kind === 'free') return undefined;
    // objects by where they are: a number for top-level objects, "stream.index" inside object streams
    const key: number | string = entry.kind === 'offset' ? entry.offset : `${entry.stream}.${entry.index}`;
    const hit = this.cache.get(key);
    if (hit !== undefined || this.cache.has(key)) return hit;
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

  private fromObjectStream(streamNum: number, index: number, view: Map<number, XrefEntry> | undefined): PdfValue {
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

interface Subsection {
  first: number;
  count: number;
  /** lazily decoded: offset of the first 20-byte entry in `buf` */
  start: number;
  /** decoded now (entries not laid out in 20 bytes) */
  entries?: Map<number, XrefEntry>;
}

/** A classic xref table: entries decoded from their 20-byte slots when looked up. */
class TableSection implements XrefSection {
  readonly kind = 'table' as const;
  /** hybrid files: the xref stream named by /XRefStm, for what the table does not list */
  fallback: XrefSection | undefined;
  private all: Map<number, XrefEntry> | undefined;

  constructor(
    readonly offset: number,
    readonly trailer: PdfDict,
    private readonly buf: Buffer,
    private readonly subsections: Subsection[],
  ) {}

  lookup(num: number): XrefEntry | undefined {
    if (this.all) return this.all.get(num);
    // the first subsection listing a number wins (as when reading the table in order)
    for (const s of this.subsections) {
      if (num < s.first || num >= s.first + s.count) continue;
      if (s.entries) {
        const e = s.entries.get(num);
        if (e) return e;
        continue;
      }
      return this.decode(s, num - s.first);
    }
    return this.fallback?.lookup(num);
  }

  get entries(): Map<number, XrefEntry> {
    if (!this.all) {
      const all = new Map<number, XrefEntry>();
      for (const s of this.subsections) {
        if (s.entries) {
          for (const [n, e] of s.entries) if (!all.has(n)) all.set(n, e);
          continue;
        }
        for (let i = 0; i < s.count; i += 1) if (!all.has(s.first + i)) all.set(s.first + i, this.decode(s, i));
      }
      if (this.fallback) for (const [n, e] of this.fallback.entries) if (!all.has(n)) all.set(n, e);
      this.all = all;
    }
    return this.all;
  }

  private decode(s: Subsection, i: number): XrefEntry {
    const b = this.buf;
    const at = s.start + i * 20;
    let offset = 0;
    for (let k = 0; k < 10; k += 1) {
      const c = (b[at + k] ?? 0) - 0x30;
      if (c < 0 || c > 9) throw pdfError(`Bad xref entry at ${this.offset}`);
      offset = offset * 10 + c;
    }
    let gen = 0;
    for (let k = 11; k < 16; k += 1) {
      const c = (b[at + k] ?? 0) - 0x30;
      if (c < 0 || c > 9) throw pdfError(`Bad xref entry at ${this.offset}`);
      gen = gen * 10 + c;
    }
    const type = b[at + 17];
    if (b[at + 10] !== 0x20 || b[at + 16] !== 0x20 || (type !== 0x6e && type !== 0x66)) throw pdfError(`Bad xref entry at ${this.offset}`);
    return type === 0x6e ? { kind: 'offset', offset, gen } : { kind: 'free' };
  }
}

/** True when `count` entries from `at` are laid out as the standard's 20-byte lines. */
function fixedLayout(b: Buffer, at: number, count: number): boolean {
  const slot = (i: number): boolean => {
    const p = at + i * 20;
    const t = b[p + 17];
    const e1 = b[p + 18] ?? 0;
    const e2 = b[p + 19] ?? 0;
    return b[p + 10] === 0x20 && b[p + 16] === 0x20 && (t === 0x6e || t === 0x66) && (e1 === 0x20 || e1 === 0x0d || e1 === 0x0a) && (e2 === 0x0d || e2 === 0x0a);
  };
  if (count === 0) return true;
  if (!slot(0) || !slot(count - 1)) return false;
  // what follows must be the next subsection header or the trailer keyword
  let p = at + count * 20;
  while (p < b.length && (b[p] === 0x20 || b[p] === 0x0d || b[p] === 0x0a || b[p] === 0x09)) p += 1;
  const c = b[p];
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || c === 0x74);
}

/** "xref", subsections (entries decoded later when laid out in 20 bytes, else now), "trailer" and its dictionary. */
function parseXrefTable(lx: Lexer, offset: number): TableSection {
  lx.expectWord('xref');
  const subsections: Subsection[] = [];
  for (;;) {
    const first = lx.unsignedInt();
    if (first < 0) {
      if (lx.word() === 'trailer') break;
      throw pdfError(`Bad xref subsection at ${offset}`);
    }
    const count = lx.unsignedInt();
    if (count < 0) throw pdfError(`Bad xref subsection at ${offset}`);
    // ask for the whole subsection (and room for the trailer) at once
    if (lx.partial && lx.pos + count * 20 + 1024 > lx.buf.length) throw new NeedMore(lx.pos + count * 20 + 4096);
    // the header's end of line; then the entries
    while (lx.pos < lx.buf.length && (lx.buf[lx.pos] === 0x20 || lx.buf[lx.pos] === 0x0d || lx.buf[lx.pos] === 0x0a)) lx.pos += 1;
    if (fixedLayout(lx.buf, lx.pos, count)) {
      subsections.push({ first, count, start: lx.pos });
      lx.pos += count * 20;
      continue;
    }
    // some writers get the layout wrong: read the entries as words
    const entries = new Map<number, XrefEntry>();
    // some writers number the first subsection from 1 by mistake; trust the file as written
    for (let i = 0, num = first; i < count; i += 1, num += 1) {
      const off = lx.unsignedInt();
      const gen = lx.unsignedInt();
      lx.skipWs();
      const type = lx.buf[lx.pos];
      const after = lx.buf[lx.pos + 1];
      if (off < 0 || gen < 0 || type === undefined || (after !== undefined && after > 0x20)) {
        if (lx.partial && lx.pos + 2 >= lx.buf.length) throw new NeedMore();
        throw pdfError(`Bad xref entry at ${offset}`);
      }
      lx.pos += 1;
      if (type === 0x6e) {
        if (!entries.has(num)) entries.set(num, { kind: 'offset', offset: off, gen });
      } else if (type === 0x66) {
        if (!entries.has(num)) entries.set(num, { kind: 'free' });
      } else throw pdfError(`Bad xref entry at ${offset}`);
    }
    subsections.push({ first, count, start: -1, entries });
  }
  const trailer = lx.value();
  if (!(trailer instanceof PdfDict)) throw pdfError('Bad trailer');
  return new TableSection(offset, trailer, lx.buf, subsections);
}

function readAsync(fd: number, buf: Buffer, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => fs.read(fd, buf, 0, length, position, (error, n) => (error ? reject(error) : resolve(n))));
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
