/**
 * PDF object model, parser and serializer — just what the signer needs to read a
 * file's structure (trailer, xref tables and streams, object streams, pages,
 * AcroForm) and to write new or changed objects in an incremental update.
 * Stream data is not loaded unless asked for, so big content streams cost nothing.
 */
import { AppError } from '../../api/errors.js';

export class PdfName {
  constructor(readonly name: string) {}
}
export class PdfString {
  constructor(
    readonly bytes: Buffer,
    readonly hex = false,
  ) {}
  /** PDF text string → JS string (UTF-16BE with BOM, UTF-8 with BOM, or PDFDocEncoding≈latin1). */
  text(): string {
    const b = this.bytes;
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
      const swapped = Buffer.from(b.subarray(2));
      if (swapped.length % 2) return '';
      swapped.swap16();
      return swapped.toString('utf16le');
    }
    if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.subarray(3).toString('utf8');
    return b.toString('latin1');
  }
}
export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
  get key(): string {
    return `${this.num} ${this.gen}`;
  }
}
export class PdfDict {
  readonly map: Map<string, PdfValue>;
  constructor(entries?: Iterable<[string, PdfValue]>) {
    this.map = new Map(entries ?? []);
  }
  get(key: string): PdfValue | undefined {
    return this.map.get(key);
  }
  set(key: string, value: PdfValue): this {
    this.map.set(key, value);
    return this;
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
  name(key: string): string | undefined {
    const v = this.map.get(key);
    return v instanceof PdfName ? v.name : undefined;
  }
  clone(): PdfDict {
    return new PdfDict(this.map);
  }
}
/** A stream as found in the file: its dictionary and where its (encoded) bytes are. */
export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    /** encoded bytes when known (loaded or newly made) */
    public data: Buffer | undefined,
    /** absolute file offset of the data, for streams read from a file */
    readonly dataOffset = -1,
  ) {}
}
export type PdfValue = null | boolean | number | PdfName | PdfString | PdfRef | PdfValue[] | PdfDict | PdfStream;

export const name = (n: string): PdfName => new PdfName(n);
export const ref = (num: number, gen = 0): PdfRef => new PdfRef(num, gen);
export const dict = (entries: Record<string, PdfValue | undefined>): PdfDict =>
  new PdfDict(Object.entries(entries).filter((e): e is [string, PdfValue] => e[1] !== undefined));
/** A text string: PDFDocEncoding-safe ASCII stays literal, anything else is UTF-16BE with BOM. */
export function textString(text: string): PdfString {
  if (/^[\x20-\x7e]*$/.test(text)) return new PdfString(Buffer.from(text, 'latin1'));
  const body = Buffer.from(text, 'utf16le');
  body.swap16();
  return new PdfString(Buffer.concat([Buffer.from([0xfe, 0xff]), body]), true);
}

/**
 * Thrown when the parse ran off the end of the buffer: the caller reads more and retries.
 * `need`, when known, is how many bytes (from the start of the buffer) the parse needs.
 */
export class NeedMore extends Error {
  readonly need: number;
  constructor(need = 0) {
    // control flow, not a failure: no stack trace to collect
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super('need more data');
    Error.stackTraceLimit = limit;
    this.need = need;
  }
}

export function pdfError(message: string, reason = 'PDF_MALFORMED'): AppError {
  return new AppError('FILE_NOT_PDF', message, { reason });
}

const WS = new Set([0, 9, 10, 12, 13, 32]);
const DELIM = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
/** byte classes for the lexer's hot loops: 1 white space, 2 delimiter */
const CLASS = new Uint8Array(256);
for (const c of WS) CLASS[c] = 1;
for (const c of DELIM) CLASS[c] = 2;

/** '0' characters, to find the zero padding of a signature's /Contents with native compares */
const ZERO_DIGITS = Buffer.alloc(4096, 0x30);

/** Where the run of '0' characters that ends `b[start, end)` begins. */
function zeroRunStart(b: Buffer, start: number, end: number): number {
  let at = end;
  while (at - start >= ZERO_DIGITS.length && b.compare(ZERO_DIGITS, 0, ZERO_DIGITS.length, at - ZERO_DIGITS.length, at) === 0) at -= ZERO_DIGITS.length;
  while (at > start && b[at - 1] === 0x30) at -= 1;
  return at;
}

/**
 * `b[start, end)` as hex digits only (an even count) → bytes; undefined otherwise.
 * A trailing run of '0' (the padding of a signature value) is not decoded: the
 * result is zero-filled there.
 */
function decodeHex(b: Buffer, start: number, end: number): Buffer | undefined {
  const n = end - start;
  if (n % 2) return undefined;
  let used = zeroRunStart(b, start, end) - start;
  if (used % 2) used += 1;
  const head = Buffer.from(b.toString('latin1', start, start + used), 'hex');
  if (head.length * 2 !== used) return undefined;
  if (used === n) return head;
  const out = Buffer.alloc(n / 2);
  head.copy(out);
  return out;
}

const nameCache = new Map<number, PdfName>();

function sameLatin1(b: Buffer, start: number, text: string): boolean {
  for (let i = 0; i < text.length; i += 1) if (b[start + i] !== text.charCodeAt(i)) return false;
  return true;
}

export class Lexer {
  pos: number;
  constructor(
    readonly buf: Buffer,
    pos = 0,
    /** true when buf ends before the end of the file: running out means "read more" */
    readonly partial = false,
  ) {
    this.pos = pos;
  }

  private eof(): never {
    if (this.partial) throw new NeedMore();
    throw pdfError('Unexpected end of PDF data');
  }

  skipWs(): void {
    const b = this.buf;
    for (;;) {
      if (this.pos >= b.length) return;
      const c = b[this.pos] as number;
      if (CLASS[c] === 1) this.pos += 1;
      else if (c === 0x25) {
        while (this.pos < b.length && b[this.pos] !== 10 && b[this.pos] !== 13) this.pos += 1;
      } else return;
    }
  }

  peekByte(): number {
    this.skipWs();
    if (this.pos >= this.buf.length) this.eof();
    return this.buf[this.pos] as number;
  }

  /** A bare token (number, keyword) at the cursor. */
  word(): string {
    this.skipWs();
    const start = this.pos;
    const b = this.buf;
    let p = this.pos;
    while (p < b.length && CLASS[b[p] as number] === 0) p += 1;
    this.pos = p;
    if (p >= b.length && this.partial) this.eof();
    return b.toString('latin1', start, p);
  }

  /**
   * A non-negative integer token at the cursor (xref entries), without making a
   * string; -1 when the token is not all digits (the cursor is then left at its start).
   */
  unsignedInt(): number {
    this.skipWs();
    const b = this.buf;
    const start = this.pos;
    let p = start;
    let v = 0;
    while (p < b.length) {
      const c = b[p] as number;
      if (c < 0x30 || c > 0x39) break;
      v = v * 10 + (c - 0x30);
      p += 1;
    }
    if (p >= b.length && this.partial) this.eof();
    if (p === start || CLASS[b[p] ?? 0x20] === 0) return -1;
    this.pos = p;
    return v;
  }

  /** The keyword `word` (ASCII) at the cursor? Moves past it when it is. */
  keyword(word: string): boolean {
    this.skipWs();
    const b = this.buf;
    const p = this.pos;
    if (p + word.length > b.length) {
      if (this.partial) this.eof();
      return false;
    }
    for (let i = 0; i < word.length; i += 1) if (b[p + i] !== word.charCodeAt(i)) return false;
    const next = b[p + word.length];
    if (next === undefined) {
      if (this.partial) this.eof();
    } else if (CLASS[next] === 0) return false;
    this.pos = p + word.length;
    return true;
  }

  expectWord(expected: string): void {
    const got = this.word();
    if (got !== expected) throw pdfError(`Expected "${expected}" at ${this.pos}, found "${got.slice(0, 20)}"`);
  }

  value(): PdfValue {
    const c = this.peekByte();
    const b = this.buf;
    if (c === 0x2f) return this.nameToken();
    if (c === 0x28) return this.literalString();
    if (c === 0x3c) {
      if (b[this.pos + 1] === 0x3c) return this.dictionary();
      if (this.pos + 1 >= b.length) this.eof();
      return this.hexString();
    }
    if (c === 0x5b) {
      this.pos += 1;
      const items: PdfValue[] = [];
      while (this.peekByte() !== 0x5d) items.push(this.value());
      this.pos += 1;
      return items;
    }
    if (c >= 0x30 && c <= 0x39) {
      // unsigned integers (counts, sizes, "num gen R") without making a string
      const start = this.pos;
      let p = start;
      let n = 0;
      while (p < b.length) {
        const d = b[p] as number;
        if (d < 0x30 || d > 0x39) break;
        n = n * 10 + (d - 0x30);
        p += 1;
      }
      if (p >= b.length && this.partial) this.eof();
      if (p - start <= 15 && (p >= b.length || CLASS[b[p] as number] !== 0)) {
        this.pos = p;
        return this.refOr(n);
      }
      this.pos = start; // a real number: below
    }
    const word = this.word();
    if (word === '') throw pdfError(`Unexpected byte 0x${c.toString(16)} at ${this.pos}`);
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) {
      const n = Number(word);
      if (/^\d+$/.test(word)) return this.refOr(n);
      return n;
    }
    throw pdfError(`Unexpected token "${word.slice(0, 20)}" at ${this.pos}`);
  }

  /** After an unsigned integer: "gen R" makes it a reference, else it stays a number. */
  private refOr(n: number): PdfValue {
    const b = this.buf;
    const save = this.pos;
    const gen = this.unsignedInt();
    if (gen >= 0) {
      this.skipWs();
      if (this.pos >= b.length && this.partial) this.eof();
      if (b[this.pos] === 0x52) {
        const next = b[this.pos + 1];
        if (next === undefined && this.partial) this.eof();
        if (next === undefined || CLASS[next] !== 0) {
          this.pos += 1;
          return new PdfRef(n, gen);
        }
      }
    }
    this.pos = save;
    return n;
  }

  private nameToken(): PdfName {
    this.pos += 1;
    const start = this.pos;
    const b = this.buf;
    let p = this.pos;
    let hash = p - start;
    let escaped = false;
    while (p < b.length) {
      const c = b[p] as number;
      if (CLASS[c] !== 0) break;
      if (c === 0x23) escaped = true;
      hash = (Math.imul(hash, 31) + c) | 0;
      p += 1;
    }
    this.pos = p;
    if (p >= b.length && this.partial) this.eof();
    if (escaped) {
      const raw = b.toString('latin1', start, p);
      return new PdfName(raw.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
    }
    // names repeat (Type, Page, Font…): one shared instance per name, found without making a string
    hash = (Math.imul(hash, 31) + (p - start)) | 0;
    const hit = nameCache.get(hash);
    if (hit && hit.name.length === p - start && sameLatin1(b, start, hit.name)) return hit;
    const made = new PdfName(b.toString('latin1', start, p));
    if (nameCache.size >= 4096) nameCache.clear();
    nameCache.set(hash, made);
    return made;
  }

  private literalString(): PdfString {
    const b = this.buf;
    this.pos += 1;
    const out: number[] = [];
    let depth = 1;
    for (;;) {
      if (this.pos >= b.length) this.eof();
      const c = b[this.pos++] as number;
      if (c === 0x5c) {
        if (this.pos >= b.length) this.eof();
        const e = b[this.pos++] as number;
        const simple: Record<number, number> = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
        if (simple[e] !== undefined) out.push(simple[e]);
        else if (e >= 0x30 && e <= 0x37) {
          let v = e - 0x30;
          for (let i = 0; i < 2 && (b[this.pos] ?? 0) >= 0x30 && (b[this.pos] ?? 0) <= 0x37; i += 1) v = v * 8 + ((b[this.pos++] as number) - 0x30);
          out.push(v & 0xff);
        } else if (e === 13) {
          if (b[this.pos] === 10) this.pos += 1;
        } else if (e !== 10) out.push(e);
      } else if (c === 0x28) {
        depth += 1;
        out.push(c);
      } else if (c === 0x29) {
        depth -= 1;
        if (depth === 0) break;
        out.push(c);
      } else out.push(c);
    }
    return new PdfString(Buffer.from(out));
  }

  private hexString(): PdfString {
    const b = this.buf;
    const end = b.indexOf(0x3e, this.pos + 1);
    if (end < 0) this.eof();
    const start = this.pos + 1;
    this.pos = end + 1;
    // the usual case: an even number of hex digits and nothing else
    const fast = decodeHex(b, start, end);
    if (fast) return new PdfString(fast, true);
    let hex = b.toString('latin1', start, end);
    if (/[^0-9a-fA-F]/.test(hex)) hex = hex.replace(/[\s\0]/g, '');
    if (hex.length % 2) hex += '0';
    return new PdfString(Buffer.from(hex, 'hex'), true);
  }

  private dictionary(): PdfDict {
    this.pos += 2;
    const d = new PdfDict();
    for (;;) {
      const c = this.peekByte();
      if (c === 0x3e) {
        if (this.pos + 1 >= this.buf.length) this.eof();
        if (this.buf[this.pos + 1] !== 0x3e) throw pdfError(`Bad dictionary end at ${this.pos}`);
        this.pos += 2;
        return d;
      }
      if (c !== 0x2f) throw pdfError(`Dictionary key is not a name at ${this.pos}`);
      const key = this.nameToken();
      d.set(key.name, this.value());
    }
  }
}

// ---------------------------------------------------------------- serializer

function nameBytes(n: string): string {
  let out = '/';
  for (const ch of n) {
    const c = ch.charCodeAt(0);
    if (c < 0x21 || c > 0x7e || c === 0x23 || DELIM.has(c)) out += `#${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const s = n.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

/** Serializes a value. Streams write their dictionary (with /Length) and data. */
export function serialize(value: PdfValue): Buffer {
  const parts: Buffer[] = [];
  write(value, parts);
  return Buffer.concat(parts);
}

function write(v: PdfValue, out: Buffer[]): void {
  if (v === null) out.push(Buffer.from('null'));
  else if (typeof v === 'boolean') out.push(Buffer.from(v ? 'true' : 'false'));
  else if (typeof v === 'number') out.push(Buffer.from(formatNumber(v)));
  else if (v instanceof PdfName) out.push(Buffer.from(nameBytes(v.name), 'latin1'));
  else if (v instanceof PdfRef) out.push(Buffer.from(`${v.num} ${v.gen} R`));
  else if (v instanceof PdfString) {
    if (v.hex) out.push(Buffer.from(`<${v.bytes.toString('hex')}>`));
    else {
      const escaped: number[] = [0x28];
      for (const c of v.bytes) {
        if (c === 0x28 || c === 0x29 || c === 0x5c) escaped.push(0x5c, c);
        else if (c === 13) escaped.push(0x5c, 0x72);
        else escaped.push(c);
      }
      escaped.push(0x29);
      out.push(Buffer.from(escaped));
    }
  } else if (Array.isArray(v)) {
    out.push(Buffer.from('['));
    v.forEach((item, i) => {
      if (i) out.push(Buffer.from(' '));
      write(item, out);
    });
    out.push(Buffer.from(']'));
  } else if (v instanceof PdfDict) {
    out.push(Buffer.from('<<'));
    for (const [k, item] of v.map) {
      out.push(Buffer.from(nameBytes(k), 'latin1'), Buffer.from(' '));
      write(item, out);
      out.push(Buffer.from('\n'));
    }
    out.push(Buffer.from('>>'));
  } else if (v instanceof PdfStream) {
    if (!v.data) throw new AppError('INTERNAL', 'Stream data not loaded');
    const d = v.dict.clone().set('Length', v.data.length);
    write(d, out);
    out.push(Buffer.from('\nstream\n'), v.data, Buffer.from('\nendstream'));
  }
}

/** Equality of two values as written (references compared by number, not followed). */
export function sameValue(a: PdfValue | undefined, b: PdfValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a instanceof PdfStream || b instanceof PdfStream) return false;
  return serialize(a).equals(serialize(b));
}
