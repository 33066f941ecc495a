/**
 * Strict Base64 (RFC 4648 §4, standard alphabet, padded) for ContentTransferEncoded.
 * Line breaks and blanks between groups are tolerated (MIME-style wrapping); anything
 * else is rejected rather than skipped, as Node's lenient decoder would do. The decoded
 * size is computed from the text length and checked before any decoding.
 */
import { invalid, tooLarge } from './fail.js';

const base64Body = /^[A-Za-z0-9+/]*$/;
/** Last data character before "==" carries 2 bits, before "=" 4 bits: the rest must be zero. */
const lastCharBeforeDoublePad = /[AQgw]$/;
const lastCharBeforeSinglePad = /[AEIMQUYcgkosw048]$/;

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Decodes after validation; `maxBytes` is enforced from the length alone. */
export function decodeBase64Strict(path: string, text: string, maxBytes: number): Uint8Array {
  const compact = text.replace(/[ \t\r\n]+/g, '');
  if (compact.length % 4 !== 0) throw invalid(path, 'is not valid Base64 (length is not a multiple of 4)');
  const padding = compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0;
  const decodedLength = (compact.length / 4) * 3 - padding;
  if (decodedLength > maxBytes) {
    throw tooLarge(path, `decodes to ${decodedLength} bytes, more than the limit of ${maxBytes}`, {
      limit: maxBytes,
      actual: decodedLength,
    });
  }
  const body = compact.slice(0, compact.length - padding);
  if (!base64Body.test(body)) throw invalid(path, 'is not valid Base64 (unexpected character)');
  if (padding === 2 && !lastCharBeforeDoublePad.test(body)) throw invalid(path, 'is not valid Base64 (non-zero padding bits)');
  if (padding === 1 && !lastCharBeforeSinglePad.test(body)) throw invalid(path, 'is not valid Base64 (non-zero padding bits)');
  const buffer = Buffer.from(compact, 'base64');
  if (buffer.byteLength !== decodedLength) throw invalid(path, 'is not valid Base64');
  // Small buffers live in Node's shared pool: copy them so callers own their bytes.
  return buffer.byteLength < 8192 ? new Uint8Array(buffer) : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
