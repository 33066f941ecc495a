/**
 * Incremental update: new and changed objects appended after the original bytes,
 * then a cross-reference section of the same kind as the file's newest one (table
 * or stream) whose trailer points back with /Prev. The original bytes are never
 * rewritten, so earlier signatures stay valid.
 */
import zlib from 'node:zlib';
import { PdfRef, PdfStream, dict, name, serialize, type PdfDict, type PdfValue } from './objects.js';
import type { PdfFile } from './reader.js';

export interface BuiltUpdate {
  /** bytes to append to the original file */
  bytes: Buffer;
  /** object number → offset within `bytes` */
  offsets: Map<number, number>;
}

export class IncrementalUpdate {
  private nextNum: number;
  private readonly objects = new Map<number, { gen: number; body: Buffer }>();

  constructor(private readonly file: PdfFile) {
    const size = file.trailer.get('Size');
    this.nextNum = typeof size === 'number' ? size : 1;
    for (const n of file.xref.keys()) if (n >= this.nextNum) this.nextNum = n + 1;
  }

  allocate(): PdfRef {
    const r = new PdfRef(this.nextNum, 0);
    this.nextNum += 1;
    return r;
  }

  /** Adds a new object and returns its reference. */
  add(value: PdfValue | Buffer): PdfRef {
    const r = this.allocate();
    this.set(r, value);
    return r;
  }

  /** Writes (or rewrites) an object. A Buffer is taken as already-serialized object content. */
  set(r: PdfRef, value: PdfValue | Buffer): void {
    this.objects.set(r.num, { gen: r.gen, body: Buffer.isBuffer(value) ? value : serialize(value) });
  }

  has(r: PdfRef): boolean {
    return this.objects.has(r.num);
  }

  get size(): number {
    return this.objects.size;
  }

  build(): BuiltUpdate {
    const base = this.file.size;
    const chunks: Buffer[] = [];
    let length = 0;
    const push = (b: Buffer): void => {
      chunks.push(b);
      length += b.length;
    };
    if (!this.file.endsWithEol()) push(Buffer.from('\n'));
    const offsets = new Map<number, number>();
    const entries: { num: number; gen: number; offset: number }[] = [];
    for (const [num, obj] of [...this.objects].sort((a, b) => a[0] - b[0])) {
      offsets.set(num, length);
      entries.push({ num, gen: obj.gen, offset: base + length });
      push(Buffer.from(`${num} ${obj.gen} obj\n`));
      push(obj.body);
      push(Buffer.from('\nendobj\n'));
    }
    const old = this.file.trailer;
    const carried: Record<string, PdfValue | undefined> = {
      Root: old.get('Root'),
      Info: old.get('Info'),
      ID: old.get('ID'),
    };
    const prev = this.file.startxref;
    if (this.file.usesXrefStream) {
      const xrefNum = this.nextNum;
      const size = xrefNum + 1;
      const xrefOffset = base + length;
      entries.push({ num: xrefNum, gen: 0, offset: xrefOffset });
      const rows: Buffer[] = [];
      const index: number[] = [];
      for (const group of groups(entries)) {
        index.push(group[0]?.num ?? 0, group.length);
        for (const e of group) {
          const row = Buffer.alloc(7);
          row[0] = 1;
          row.writeUInt32BE(e.offset, 1);
          row.writeUInt16BE(Math.min(e.gen, 0xffff), 5);
          rows.push(row);
        }
      }
      const data = zlib.deflateSync(Buffer.concat(rows));
      const d: PdfDict = dict({ Type: name('XRef'), Size: size, Index: index, W: [1, 4, 2], Filter: name('FlateDecode'), Prev: prev, ...carried });
      offsets.set(xrefNum, length);
      push(Buffer.from(`${xrefNum} 0 obj\n`));
      push(serialize(new PdfStream(d, data)));
      push(Buffer.from(`\nendobj\nstartxref\n${xrefOffset}\n%%EOF\n`));
    } else {
      const xrefOffset = base + length;
      let text = 'xref\n';
      for (const group of groups(entries)) {
        text += `${group[0]?.num ?? 0} ${group.length}\n`;
        for (const e of group) text += `${String(e.offset).padStart(10, '0')} ${String(e.gen).padStart(5, '0')} n\r\n`;
      }
      push(Buffer.from(text, 'latin1'));
      const trailer = dict({ Size: this.nextNum, Prev: prev, ...carried });
      push(Buffer.from('trailer\n'));
      push(serialize(trailer));
      push(Buffer.from(`\nstartxref\n${xrefOffset}\n%%EOF\n`));
    }
    return { bytes: Buffer.concat(chunks), offsets };
  }
}

function groups<T extends { num: number }>(entries: T[]): T[][] {
  const sorted = [...entries].sort((a, b) => a.num - b.num);
  const out: T[][] = [];
  for (const e of sorted) {
    const last = out.at(-1);
    const tail = last?.at(-1);
    if (last && tail && tail.num + 1 === e.num) last.push(e);
    else out.push([e]);
  }
  return out;
}
