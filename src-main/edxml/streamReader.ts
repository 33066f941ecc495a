/**
 * Streaming reader of a received package on disk: the same rules as parseAny, without
 * building a DOM of the whole package or holding its attachments in memory.
 *
 * The file is read in chunks by a small XML lexer (text, tags with quoted attributes,
 * comments, CDATA, processing instructions). The text of each
 * /edXML/AttachmentEncoded/Attachment/ContentTransferEncoded is not kept: it is checked
 * as strict Base64 and decoded chunk by chunk straight into a temporary file (SHA-256
 * computed on the way), and replaced in a *skeleton* of the package by an unguessable
 * marker. The skeleton — everything but the payload text, so a few KB — then goes
 * through exactly the checks of the DOM reader (size, strict UTF-8, UTF-8 declaration,
 * no DOCTYPE/ENTITY, no forbidden characters, xmldom with every problem fatal,
 * namespaces, every header rule, names sanitised, manifest, counts and totals). The
 * marker tells the attachment reader which decoded file belongs to which element.
 *
 * Removing runs of Base64 characters from element content cannot turn a malformed
 * document into a well-formed one, so the skeleton is well-formed exactly when the
 * package is. Payload errors are recorded and raised where the DOM reader raises them,
 * in the same order (length, size before decoding, characters, padding bits), so a
 * package gets the same answer from both readers. Anything the lexer does not expect
 * (a DOCTYPE, an entity reference or markup inside a payload, a token larger than
 * `maxTokenBytes`) makes it hand the whole file to the DOM reader instead.
 *
 * Limits while streaming: the package size before anything is read; the number of
 * attachments, each attachment's decoded size and the running total before each chunk
 * is decoded (past a limit the payload is only counted, never decoded).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AppError } from '../api/errors.js';
import { decodePayloadInMemory, readAttachmentsWith, type AttachmentWith } from './attachments.js';
import { decodeBase64Strict } from './base64.js';
import { resolveLimits, type EdxmlLimits } from './constants.js';
import type { ParseEdxmlOptions } from './document.js';
import { readDocumentWith } from './document.js';
import { messageKind, openEnvelopeText } from './envelope.js';
import { invalid, tooLarge } from './fail.js';
import { parseAny } from './index.js';
import { readStatus } from './status.js';
import type { EdxmlPackage, StatusMessage } from './types.js';
import { unzipSingleFile } from './zip.js';
import { decodeXmlText } from './xmlReader.js';

/** An attachment decoded to a temporary file; the caller owns (moves or removes) `file`. */
export interface StoredAttachmentFile {
  contentId: string;
  name: string;
  contentType: string;
  description?: string;
  size: number;
  sha256: string;
  file: string;
}

export type StreamedDocument = Omit<EdxmlPackage, 'attachments'> & { attachments: StoredAttachmentFile[] };

export type StreamedParse = { kind: 'document'; document: StreamedDocument } | { kind: 'status'; status: StatusMessage };

export interface StreamParseOptions extends ParseEdxmlOptions {
  /** Directory for the decoded attachments (same file system as their final place). */
  tempDir: string;
  /** Bytes read at a time. */
  chunkBytes?: number;
  /** A single tag, comment or PI larger than this sends the package to the DOM reader. */
  maxTokenBytes?: number;
  /** Test hook: which reader answered. */
  onReader?: (reader: 'stream' | 'dom') => void;
}

class Unsupported extends Error {}

const lt = 0x3c;
const gt = 0x3e;
const slash = 0x2f;
const equalsSign = 0x3d;
/** 1: Base64 alphabet, 2: blank tolerated between groups, 3: '='. */
const b64Class = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') b64Class[c.charCodeAt(0)] = 1;
for (const c of ' \t\r\n') b64Class[c.charCodeAt(0)] = 2;
b64Class[equalsSign] = 3;
/**
 * The fast path relies on Node's Base64 decoder dropping (or stopping at) characters
 * outside the alphabet; checked once here, on this runtime, else the fast path is off.
 */
const lenientDecoderSkips = ['QU$B', 'QU.B', 'QU\u00ffB', 'QU B', 'QU\nB', 'QU=B', 'Q\u0000UB', 'QU<B'].every(
  (probe) => Buffer.from(probe, 'latin1').length === 4 && Buffer.from(Buffer.from(probe, 'latin1').toString('latin1'), 'base64').length < 3,
);

const isNameEnd = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === slash || b === gt;

/** Temporary file for a decoded attachment, hashed as it is written. */
class TempSink {
  readonly file: string;
  private readonly fd: number;
  private readonly hash = crypto.createHash('sha256');
  size = 0;
  private closed = false;

  constructor(dir: string) {
    this.file = path.join(dir, `.in-${process.pid}-${crypto.randomBytes(8).toString('hex')}.tmp`);
    this.fd = fs.openSync(this.file, 'wx');
  }

  write(bytes: Uint8Array): void {
    let off = 0;
    while (off < bytes.byteLength) off += fs.writeSync(this.fd, bytes, off, bytes.byteLength - off);
    this.hash.update(bytes);
    this.size += bytes.byteLength;
  }

  finish(): string {
    this.close();
    return this.hash.digest('hex');
  }

  close(): void {
    if (!this.closed) fs.closeSync(this.fd);
    this.closed = true;
  }

  discard(): void {
    this.close();
    fs.rmSync(this.file, { force: true });
  }
}

/** Payload text decoded at a time (a multiple of 4: whole Base64 groups when there are no blanks). */
const feedSlice = 48 * 1024;

/** One ContentTransferEncoded payload being decoded. */
class Payload {
  compactLength = 0;
  equalsCount = 0;
  invalidChar = false;
  /** Why decoding stopped (the payload is then only counted); null while decoding. */
  stopped: 'size' | 'total' | 'count' | 'chars' | null = null;
  /** Last (up to) four non-blank characters, for the padding checks. */
  tail = '';
  private carry: Buffer = Buffer.alloc(0);
  readonly sink: TempSink | null;
  sha256 = '';

  constructor(
    readonly seq: number,
    readonly index: number,
    private readonly limits: EdxmlLimits,
    private readonly totals: { decoded: number },
    dir: string,
  ) {
    if (index > limits.maxAttachments) this.stopped = 'count';
    this.sink = this.stopped ? null : new TempSink(dir);
  }

  /**
   * Feeds raw payload text (Base64 and blanks, or anything an attacker sends), a slice
   * at a time: the text and bytes made while decoding stay small and short-lived, however
   * large the region (a package read from memory is one region).
   */
  feed(region: Buffer): void {
    for (let at = 0; at < region.length; at += feedSlice) this.feedSlice(region.subarray(at, at + feedSlice));
  }

  private feedSlice(region: Buffer): void {
    if (region.length === 0) return;
    if (this.stopped) {
      this.count(region);
      return;
    }
    const data = this.carry.length ? Buffer.concat([this.carry, region]) : region;
    const usable = data.length - (data.length % 4);
    if (usable > 0 && this.tryFast(data.subarray(0, usable))) {
      this.carry = Buffer.from(data.subarray(usable));
      return;
    }
    this.carry = Buffer.alloc(0);
    this.slow(data);
  }

  /**
   * Whole groups without blanks, decoded by Node. Node skips (or stops at) any character
   * outside the alphabet, so the decoded length proves every character was one — except
   * '-' and '_' (URL-safe alphabet), looked for separately. Padding bits are checked at
   * the end (verdict). Anything else goes to the character-by-character path.
   */
  private tryFast(quads: Buffer): boolean {
    if (!lenientDecoderSkips) return false;
    if (!this.room(quads.length)) return false;
    let eq = 0;
    if (quads[quads.length - 1] === equalsSign) eq = quads[quads.length - 2] === equalsSign ? 2 : 1;
    if (quads.indexOf(0x2d) >= 0 || quads.indexOf(0x5f) >= 0) return false;
    const decoded = Buffer.from(quads.toString('latin1'), 'base64');
    if (decoded.length !== (quads.length / 4) * 3 - eq) return false;
    this.compactLength += quads.length;
    this.equalsCount += eq;
    this.tail = (this.tail + quads.toString('latin1', Math.max(0, quads.length - 4), quads.length)).slice(-4);
    this.sink?.write(decoded);
    this.totals.decoded += decoded.length;
    return true;
  }

  /** Whether `chars` more Base64 characters may still be decoded; stops decoding when not. */
  private room(chars: number): boolean {
    const after = ((this.compactLength + chars) / 4) * 3;
    if (after > this.limits.maxAttachmentBytes) {
      this.stop('size');
      return false;
    }
    if (this.totals.decoded + (chars / 4) * 3 > this.limits.maxTotalAttachmentBytes) {
      this.stop('total');
      return false;
    }
    return true;
  }

  private stop(reason: NonNullable<Payload['stopped']>): void {
    this.stopped ??= reason;
  }

  /** Blanks removed, every character classified; whole groups decoded. */
  private slow(data: Buffer): void {
    const compact = Buffer.allocUnsafe(data.length);
    let n = 0;
    for (let i = 0; i < data.length; i += 1) {
      const b = data[i] as number;
      const k = b64Class[b];
      if (k === 2) continue;
      if (k === 0) {
        // Refused in the end; from here on the payload is only counted.
        this.stop('chars');
        this.count(data);
        return;
      }
      compact[n++] = b;
    }
    const usable = n - (n % 4);
    // Characters of the last incomplete group wait for the next chunk.
    this.carry = Buffer.from(compact.subarray(usable, n));
    const quads = compact.subarray(0, usable);
    if (quads.length === 0) return;
    for (let i = 0; i < quads.length; i += 1) if (quads[i] === equalsSign) this.equalsCount += 1;
    this.tail = (this.tail + quads.toString('latin1', Math.max(0, quads.length - 4), quads.length)).slice(-4);
    if (!this.stopped && this.room(quads.length)) {
      const decoded = Buffer.from(quads.toString('latin1'), 'base64');
      this.sink?.write(decoded);
      this.totals.decoded += decoded.length;
    }
    this.compactLength += quads.length;
  }

  /** Only counts (after a limit or an invalid character): length, '=', last characters. */
  private count(region: Buffer): void {
    if (this.carry.length) {
      const c = this.carry;
      this.carry = Buffer.alloc(0);
      this.count(c);
    }
    for (let i = 0; i < region.length; i += 1) {
      const k = b64Class[region[i] as number];
      if (k === 2) continue;
      if (k === 0) this.invalidChar = true;
      else if (k === 3) this.equalsCount += 1;
      this.compactLength += 1;
    }
    this.tail = lastNonBlank(region, 4, this.tail);
  }

  /** End of the payload: the rest is classified, the file closed. */
  end(): void {
    if (this.carry.length) {
      const rest = this.carry;
      this.carry = Buffer.alloc(0);
      this.count(rest);
    }
    if (this.sink) {
      if (this.stopped) this.sink.discard();
      else this.sha256 = this.sink.finish();
    }
  }

  /** The DOM reader's decodeBase64Strict verdict, in its order, as an error or null. */
  verdict(at: string): AppError | null {
    if (this.stopped === 'count') return null; // the attachment count error comes first
    if (this.compactLength % 4 !== 0) return invalid(at, 'is not valid Base64 (length is not a multiple of 4)');
    const padding = this.tail.endsWith('==') ? 2 : this.tail.endsWith('=') ? 1 : 0;
    const decodedLength = (this.compactLength / 4) * 3 - padding;
    if (decodedLength > this.limits.maxAttachmentBytes) {
      return tooLarge(at, `decodes to ${decodedLength} bytes, more than the limit of ${this.limits.maxAttachmentBytes}`, {
        limit: this.limits.maxAttachmentBytes,
        actual: decodedLength,
      });
    }
    if (this.invalidChar || this.equalsCount !== padding) return invalid(at, 'is not valid Base64 (unexpected character)');
    const last = this.tail.slice(0, this.tail.length - padding).slice(-1);
    if (padding === 2 && !/[AQgw]/.test(last)) return invalid(at, 'is not valid Base64 (non-zero padding bits)');
    if (padding === 1 && !/[AEIMQUYcgkosw048]/.test(last)) return invalid(at, 'is not valid Base64 (non-zero padding bits)');
    if (this.stopped === 'total') {
      return tooLarge('AttachmentEncoded', `holds more than ${this.limits.maxTotalAttachmentBytes} bytes in all, more than the limit of ${this.limits.maxTotalAttachmentBytes}`, {
        limit: this.limits.maxTotalAttachmentBytes,
      });
    }
    return null;
  }

  discard(): void {
    this.sink?.discard();
  }
}

function lastNonBlank(region: Buffer, n: number, before: string): string {
  let out = '';
  for (let i = region.length - 1; i >= 0 && out.length < n; i -= 1) {
    const b = region[i] as number;
    if (b64Class[b] === 2) continue;
    out = String.fromCharCode(b) + out;
  }
  return out.length >= n ? out : (before + out).slice(-n);
}

/** A received package: a file on disk, or bytes already in memory (a small package fetched whole). */
export type PackageSource = { file: string } | { bytes: Uint8Array };

/** Reads a package file; see the module comment. Throws AppError (INVALID_INPUT / FILE_TOO_LARGE) when it is refused. */
export function parsePackageFile(file: string, options: StreamParseOptions): StreamedParse {
  return parsePackage({ file }, options);
}

/** Reads a package from a file or from memory, with the same rules and answers. */
export function parsePackage(source: PackageSource, options: StreamParseOptions): StreamedParse {
  const limits = resolveLimits(options);
  const now = options.now ?? new Date();
  const size = 'file' in source ? fs.statSync(source.file).size : source.bytes.byteLength;
  if (size > limits.maxPackageBytes) {
    throw tooLarge('package', `is ${size} bytes, more than the limit of ${limits.maxPackageBytes}`, { limit: limits.maxPackageBytes, actual: size });
  }
  const payloads: Payload[] = [];
  const created: string[] = [];
  let result: StreamedParse | null = null;
  try {
    let skeleton: Buffer;
    let marker: string;
    try {
      ({ skeleton, marker } = split(source, limits, options, payloads));
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      for (const p of payloads.splice(0)) p.discard();
      options.onReader?.('dom');
      return (result = viaDom(source, limits, options));
    }
    options.onReader?.('stream');
    result = readSkeleton(skeleton, marker, payloads, limits, now, options.tempDir, created);
    return result;
  } finally {
    // Files not handed out (refused package, unused payloads) are removed.
    const kept = new Set(result?.kind === 'document' ? result.document.attachments.map((a) => a.file) : []);
    for (const p of payloads) if (p.sink && !kept.has(p.sink.file)) p.discard();
    for (const f of created) if (!kept.has(f)) fs.rmSync(f, { force: true });
  }
}

/** Successive chunks of a package (null at the end). */
interface ChunkReader {
  next(): Buffer | null;
  close(): void;
}

/** A file is read `chunkBytes` at a time; bytes in memory are one chunk (nothing to save by cutting them). */
function chunksOf(source: PackageSource, chunkBytes: number): ChunkReader {
  if ('bytes' in source) {
    let rest: Buffer | null = Buffer.from(source.bytes.buffer, source.bytes.byteOffset, source.bytes.byteLength);
    return {
      next: () => {
        const chunk = rest;
        rest = null;
        return chunk !== null && chunk.length > 0 ? chunk : null;
      },
      close: () => undefined,
    };
  }
  const fd = fs.openSync(source.file, 'r');
  return {
    next: () => {
      const chunk = Buffer.allocUnsafe(chunkBytes);
      const n = fs.readSync(fd, chunk, 0, chunkBytes, null);
      return n === 0 ? null : chunk.subarray(0, n);
    },
    close: () => fs.closeSync(fd),
  };
}

/** Lexes the package: skeleton bytes out, payloads decoded to their temporary files. */
function split(source: PackageSource, limits: EdxmlLimits, options: StreamParseOptions, payloads: Payload[]): { skeleton: Buffer; marker: string } {
  const chunkBytes = options.chunkBytes ?? 1024 * 1024;
  const maxToken = options.maxTokenBytes ?? 1024 * 1024;
  const marker = `edxml-stream-${crypto.randomBytes(12).toString('hex')}-`;
  const totals = { decoded: 0 };
  const parts: Buffer[] = [];
  const stack: string[] = [];
  let attachmentIndex = 0;
  let mode: 'markup' | 'payload' | 'payload-cdata' = 'markup';
  let current: Payload | null = null;
  const reader = chunksOf(source, chunkBytes);
  try {
    let buf: Buffer = Buffer.alloc(0);
    let p = 0;
    let eof = false;
    const more = (): boolean => {
      if (eof) return false;
      const chunk = reader.next();
      if (chunk === null) {
        eof = true;
        return false;
      }
      const rest = buf.subarray(p);
      if (rest.length > maxToken) throw new Unsupported('token too large');
      buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      p = 0;
      return true;
    };
    more();
    for (let guard = 0; guard < 1e9; guard += 1) {
      if (p >= buf.length && !more()) break;
      if (mode === 'payload' || mode === 'payload-cdata') {
        const payload = current as Payload;
        if (mode === 'payload-cdata') {
          const end = buf.indexOf(']]>', p, 'latin1');
          if (end < 0) {
            // Keep two bytes back: they may start the "]]>".
            const upto = Math.max(p, buf.length - 2);
            payload.feed(buf.subarray(p, upto));
            p = upto;
            if (!more()) throw new Unsupported('unterminated CDATA in payload');
            continue;
          }
          payload.feed(buf.subarray(p, end));
          p = end + 3;
          mode = 'payload';
          continue;
        }
        const end = buf.indexOf(lt, p);
        // An entity or character reference means text the DOM reader would decode first.
        const amp = buf.indexOf(0x26, p);
        if (amp >= 0 && (end < 0 || amp < end)) throw new Unsupported('reference inside a payload');
        if (end < 0) {
          payload.feed(buf.subarray(p));
          p = buf.length;
          continue;
        }
        payload.feed(buf.subarray(p, end));
        p = end;
        if (buf.length - p < 9 && !eof) {
          more();
          continue;
        }
        if (buf[p + 1] === slash) {
          payload.end();
          parts.push(Buffer.from(`${marker}${payload.seq}`, 'latin1'));
          current = null;
          mode = 'markup';
          continue;
        }
        if (buf.toString('latin1', p, p + 9) === '<![CDATA[') {
          p += 9;
          mode = 'payload-cdata';
          continue;
        }
        throw new Unsupported('markup inside a payload');
      }
      // Markup mode: copy text up to the next '<', then one token.
      const next = buf.indexOf(lt, p);
      if (next < 0) {
        parts.push(Buffer.from(buf.subarray(p)));
        p = buf.length;
        continue;
      }
      if (next > p) parts.push(Buffer.from(buf.subarray(p, next)));
      p = next;
      const token = tokenAt(buf, p, eof);
      if (token === null) {
        if (!more()) {
          // Truncated markup: the skeleton keeps it and the XML parser refuses it.
          parts.push(Buffer.from(buf.subarray(p)));
          p = buf.length;
        }
        continue;
      }
      parts.push(Buffer.from(buf.subarray(p, token.end)));
      p = token.end;
      if (token.kind === 'end') {
        stack.pop();
        continue;
      }
      if (token.kind !== 'start') continue;
      const local = token.local;
      const atAttachment = stack.length === 2 && stack[0] === 'edXML' && stack[1] === 'AttachmentEncoded' && local === 'Attachment';
      if (atAttachment) attachmentIndex += 1;
      const isPayload = !token.selfClosing && local === 'ContentTransferEncoded' && stack.length === 3 && stack[0] === 'edXML' && stack[1] === 'AttachmentEncoded' && stack[2] === 'Attachment';
      if (!token.selfClosing) {
        if (stack.length >= 512) throw new Unsupported('nesting too deep');
        stack.push(local);
      }
      if (isPayload) {
        current = new Payload(payloads.length, Math.max(1, attachmentIndex), limits, totals, options.tempDir);
        payloads.push(current);
        mode = 'payload';
      }
    }
    if (mode !== 'markup') {
      // Package ends inside a payload: not well-formed; the skeleton shows it.
      (current as Payload).end();
    }
    return { skeleton: Buffer.concat(parts), marker };
  } finally {
    reader.close();
  }
}

type Token = { kind: 'start'; end: number; local: string; selfClosing: boolean } | { kind: 'end' | 'other'; end: number };

/** The markup token at `p` (buf[p] is '<'), or null when it is not complete in `buf`. */
function tokenAt(buf: Buffer, p: number, eof: boolean): Token | null {
  if (buf.length - p < 9 && !eof) return null;
  const b1 = buf[p + 1];
  if (b1 === 0x21 /* ! */) {
    if (buf.toString('latin1', p, p + 4) === '<!--') {
      const end = buf.indexOf('-->', p + 4, 'latin1');
      return end < 0 ? null : { kind: 'other', end: end + 3 };
    }
    if (buf.toString('latin1', p, p + 9) === '<![CDATA[') {
      const end = buf.indexOf(']]>', p + 9, 'latin1');
      return end < 0 ? null : { kind: 'other', end: end + 3 };
    }
    // DOCTYPE, ENTITY or anything else: the DOM reader answers with its own error.
    throw new Unsupported('declaration');
  }
  if (b1 === 0x3f /* ? */) {
    const end = buf.indexOf('?>', p + 2, 'latin1');
    return end < 0 ? null : { kind: 'other', end: end + 2 };
  }
  // Start or end tag: '>' outside quoted attribute values.
  let quote = 0;
  let i = p + 1;
  for (; i < buf.length; i += 1) {
    const b = buf[i] as number;
    if (quote !== 0) {
      if (b === quote) quote = 0;
    } else if (b === 0x22 || b === 0x27) quote = b;
    else if (b === gt) break;
    else if (b === lt) break; // '<' inside a tag: not well-formed; stop the tag here
  }
  if (i >= buf.length) return null;
  if (buf[i] === lt) return { kind: 'other', end: i };
  const end = i + 1;
  if (b1 === slash) return { kind: 'end', end };
  let nameEnd = p + 1;
  while (nameEnd < i && !isNameEnd(buf[nameEnd] as number)) nameEnd += 1;
  const qname = buf.toString('utf8', p + 1, nameEnd);
  const colon = qname.indexOf(':');
  return { kind: 'start', end, local: colon >= 0 ? qname.slice(colon + 1) : qname, selfClosing: buf[i - 1] === slash };
}

/** The DOM reader's checks on the skeleton; payload files matched through their markers. */
function readSkeleton(skeleton: Buffer, marker: string, payloads: Payload[], limits: EdxmlLimits, now: Date, dir: string, created: string[]): StreamedParse {
  const opened = openEnvelopeText(decodeXmlText(skeleton, limits.maxPackageBytes));
  if (messageKind(opened.header) === 'status') return { kind: 'status', status: readStatus(opened, limits) };
  const used = new Set<number>();
  const document = readDocumentWith(opened, limits, now, (body, encoded) =>
    readAttachmentsWith(body, encoded, limits, (encodedText, unzip, remaining) => {
      const text = encodedText.text();
      let stored: { size: number; sha256: string; file: string };
      if (text.startsWith(marker)) {
        const payload = /^\d+$/.test(text.slice(marker.length)) ? payloads[Number(text.slice(marker.length))] : undefined;
        if (payload === undefined || used.has(payload.seq)) throw invalid(encodedText.path, 'is not valid Base64 (unexpected character)');
        used.add(payload.seq);
        const error = payload.verdict(encodedText.path);
        if (error) throw error;
        if (payload.sink === null) throw invalid(encodedText.path, 'could not be decoded');
        stored = { size: payload.sink.size, sha256: payload.sha256, file: payload.sink.file };
        if (!unzip) return { size: stored.size, value: stored };
        const bytes = unzipSingleFile(fs.readFileSync(stored.file), encodedText.path, Math.min(limits.maxAttachmentBytes, Math.max(0, remaining)));
        return { size: bytes.byteLength, value: writeTemp(dir, bytes, created) };
      }
      // Not streamed (empty element, or text the lexer left in place): decoded in memory.
      const inMemory = unzip
        ? decodePayloadInMemory(encodedText, true, remaining, limits).value
        : decodeBase64Strict(encodedText.path, text, limits.maxAttachmentBytes);
      return { size: inMemory.byteLength, value: writeTemp(dir, inMemory, created) };
    }),
  );
  return { kind: 'document', document: { ...document, attachments: document.attachments.map(toStored) } };
}

function toStored(a: AttachmentWith<{ size: number; sha256: string; file: string }>): StoredAttachmentFile {
  const out: StoredAttachmentFile = { contentId: a.contentId, name: a.name, contentType: a.contentType, size: a.size, sha256: a.value.sha256, file: a.value.file };
  if (a.description !== undefined) out.description = a.description;
  return out;
}

function writeTemp(dir: string, bytes: Uint8Array, created: string[]): { size: number; sha256: string; file: string } {
  const sink = new TempSink(dir);
  created.push(sink.file);
  try {
    sink.write(bytes);
    return { size: sink.size, sha256: sink.finish(), file: sink.file };
  } catch (error) {
    sink.discard();
    throw error;
  }
}

/** Whole-file DOM reading for packages the lexer does not take (rare; same answer). */
function viaDom(source: PackageSource, limits: EdxmlLimits, options: StreamParseOptions): StreamedParse {
  const parsed = parseAny('file' in source ? fs.readFileSync(source.file) : source.bytes, { ...limits, now: options.now });
  if (parsed.kind === 'status') return parsed;
  const written: StoredAttachmentFile[] = [];
  try {
    for (const a of parsed.document.attachments) {
      const t = writeTemp(options.tempDir, a.bytes, []);
      const out: StoredAttachmentFile = { contentId: a.contentId, name: a.name, contentType: a.contentType, size: t.size, sha256: t.sha256, file: t.file };
      if (a.description !== undefined) out.description = a.description;
      written.push(out);
    }
  } catch (error) {
    for (const w of written) fs.rmSync(w.file, { force: true });
    throw error;
  }
  const { attachments: _drop, ...rest } = parsed.document;
  return { kind: 'document', document: { ...rest, attachments: written } };
}
