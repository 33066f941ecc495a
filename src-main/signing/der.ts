/**
 * Minimal DER writer and reader. CMS is assembled from these pieces so that the
 * certificate's own bytes (and its exact issuer Name, UTF8String or not) go into
 * the signature unchanged — libraries that parse and re-encode names (node-forge)
 * produce signatures that independent verifiers reject.
 */
import { AppError } from '../api/errors.js';

export type Der = Buffer;

function lengthBytes(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...content: Buffer[]): Der {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), lengthBytes(body.length), body]);
}

export const seq = (...items: Buffer[]): Der => tlv(0x30, ...items);
export const set = (...items: Buffer[]): Der => tlv(0x31, ...items);
/** SET OF in DER order (elements sorted by their encodings). */
export const setOf = (...items: Buffer[]): Der => tlv(0x31, ...[...items].sort(Buffer.compare));
export const octets = (value: Buffer): Der => tlv(0x04, value);
export const ctx = (n: number, ...items: Buffer[]): Der => tlv(0xa0 + n, ...items);
export const nullDer = (): Der => Buffer.from([0x05, 0x00]);

export function int(value: number | Buffer): Der {
  if (typeof value === 'number') {
    const bytes: number[] = [];
    let n = value;
    do {
      bytes.unshift(n & 0xff);
      n = Math.floor(n / 256);
    } while (n > 0);
    if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
    return tlv(0x02, Buffer.from(bytes));
  }
  return tlv(0x02, value);
}

export function oid(dotted: string): Der {
  const parts = dotted.split('.').map(Number);
  const first = (parts[0] ?? 0) * 40 + (parts[1] ?? 0);
  const out: number[] = [];
  for (const part of [first, ...parts.slice(2)]) {
    const chunk: number[] = [];
    let n = part;
    do {
      chunk.unshift((n & 0x7f) | (chunk.length ? 0x80 : 0));
      n = Math.floor(n / 128);
    } while (n > 0);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

export function utcOrGeneralizedTime(date: Date): Der {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const year = date.getUTCFullYear();
  if (year >= 1950 && year < 2050) return tlv(0x17, Buffer.from(`${iso.slice(2)}Z`, 'latin1'));
  return tlv(0x18, Buffer.from(`${iso}Z`, 'latin1'));
}

/** One parsed element: where it sits in `buf`, its tag and its content. */
export interface Node {
  tag: number;
  /** offset of the tag byte */
  start: number;
  /** offset of the first content byte */
  bodyStart: number;
  /** offset after the last content byte */
  end: number;
  buf: Buffer;
}

function malformed(what: string): AppError {
  return new AppError('INVALID_INPUT', `Malformed DER: ${what}`, { reason: 'BAD_DER' });
}

export function readNode(buf: Buffer, at = 0, limit = buf.length): Node {
  if (at + 2 > limit) throw malformed('truncated header');
  const tag = buf[at] as number;
  if ((tag & 0x1f) === 0x1f) throw malformed('high tag numbers are not supported');
  let length = buf[at + 1] as number;
  let bodyStart = at + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4) throw malformed('indefinite or huge length');
    if (bodyStart + n > limit) throw malformed('truncated length');
    length = 0;
    for (let i = 0; i < n; i += 1) length = length * 256 + (buf[at + 2 + i] as number);
    bodyStart += n;
  }
  const end = bodyStart + length;
  if (end > limit) throw malformed('element runs past its container');
  return { tag, start: at, bodyStart, end, buf };
}

export function children(node: Node): Node[] {
  const out: Node[] = [];
  for (let at = node.bodyStart; at < node.end; ) {
    const child = readNode(node.buf, at, node.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

export const bytesOf = (node: Node): Buffer => node.buf.subarray(node.start, node.end);
export const bodyOf = (node: Node): Buffer => node.buf.subarray(node.bodyStart, node.end);

export function child(node: Node, index: number, tag?: number): Node {
  const found = children(node)[index];
  if (!found) throw malformed(`missing element ${index}`);
  if (tag !== undefined && found.tag !== tag) throw malformed(`element ${index}: tag 0x${found.tag.toString(16)}, expected 0x${tag.toString(16)}`);
  return found;
}

export function oidToString(node: Node): string {
  const body = bodyOf(node);
  const parts: number[] = [];
  let value = 0;
  for (const byte of body) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (parts.length === 0) {
        const first = Math.min(2, Math.floor(value / 40));
        parts.push(first, value - first * 40);
      } else parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

export function timeToDate(node: Node): Date {
  const text = bodyOf(node).toString('latin1');
  const m = (node.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/ : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/).exec(text);
  if (!m) throw malformed(`time ${text}`);
  let year = Number(m[1]);
  if (node.tag === 0x17) year += year < 50 ? 2000 : 1900;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)));
}

/** The parts of an X.509 certificate the signer and verifier need, as exact DER. */
export interface CertParts {
  der: Buffer;
  tbs: Buffer;
  serial: Buffer; // INTEGER content bytes
  serialDer: Buffer; // the whole INTEGER
  issuer: Buffer; // Name, exact DER
  subject: Buffer; // Name, exact DER
  spki: Buffer;
  notBefore: Date;
  notAfter: Date;
  extensions: Map<string, { critical: boolean; value: Buffer }>;
  signatureAlgorithm: string;
  signature: Buffer;
}

export function certParts(der: Buffer): CertParts {
  const cert = readNode(der);
  const [tbsNode, algNode, sigNode] = children(cert);
  if (!tbsNode || !algNode || !sigNode) throw malformed('certificate');
  const tbs = children(tbsNode);
  let i = 0;
  if (tbs[0]?.tag === 0xa0) i = 1;
  const serialNode = tbs[i];
  const issuerNode = tbs[i + 2];
  const validity = tbs[i + 3];
  const subjectNode = tbs[i + 4];
  const spkiNode = tbs[i + 5];
  if (!serialNode || !issuerNode || !validity || !subjectNode || !spkiNode) throw malformed('tbsCertificate');
  const [nb, na] = children(validity);
  if (!nb || !na) throw malformed('validity');
  const extensions = new Map<string, { critical: boolean; value: Buffer }>();
  for (const extra of tbs.slice(i + 6)) {
    if (extra.tag !== 0xa3) continue;
    for (const ext of children(child(extra, 0, 0x30))) {
      const parts = children(ext);
      const id = parts[0];
      const last = parts.at(-1);
      if (!id || !last) continue;
      const critical = parts.length === 3 && parts[1]?.tag === 0x01 && parts[1].buf[parts[1].bodyStart] !== 0;
      extensions.set(oidToString(id), { critical, value: Buffer.from(bodyOf(last)) });
    }
  }
  const sigBits = bodyOf(sigNode);
  return {
    der: Buffer.from(bytesOf(cert)),
    tbs: Buffer.from(bytesOf(tbsNode)),
    serial: Buffer.from(bodyOf(serialNode)),
    serialDer: Buffer.from(bytesOf(serialNode)),
    issuer: Buffer.from(bytesOf(issuerNode)),
    subject: Buffer.from(bytesOf(subjectNode)),
    spki: Buffer.from(bytesOf(spkiNode)),
    notBefore: timeToDate(nb),
    notAfter: timeToDate(na),
    extensions,
    signatureAlgorithm: oidToString(child(algNode, 0, 0x06)),
    signature: Buffer.from(sigBits.subarray(1)),
  };
}

/** keyUsage bit names in order (RFC 5280). */
const keyUsageNames = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];

export function keyUsage(parts: CertParts): string[] | undefined {
  const ext = parts.extensions.get('2.5.29.15');
  if (!ext) return undefined;
  const bits = bodyOf(readNode(ext.value));
  const used: string[] = [];
  keyUsageNames.forEach((name, index) => {
    const byte = bits[1 + Math.floor(index / 8)] ?? 0;
    if (byte & (0x80 >> index % 8)) used.push(name);
  });
  return used;
}

export function isCa(parts: CertParts): boolean {
  const ext = parts.extensions.get('2.5.29.19');
  if (!ext) return false;
  const first = children(readNode(ext.value))[0];
  return first?.tag === 0x01 && first.buf[first.bodyStart] !== 0;
}

const nameKeys: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'E',
};

function decodeString(node: Node): string {
  const body = bodyOf(node);
  if (node.tag === 0x1e) {
    // BMPString: UTF-16BE
    const swapped = Buffer.from(body);
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  if (node.tag === 0x0c) return body.toString('utf8');
  return body.toString('latin1');
}

/** A Name as readable text ("CN=Nguyễn Văn A, O=…"), decoding UTF8/BMP strings. */
export function nameToString(nameDer: Buffer): string {
  const parts: string[] = [];
  for (const rdn of children(readNode(nameDer))) {
    for (const atv of children(rdn)) {
      const [type, value] = children(atv);
      if (!type || !value) continue;
      const id = oidToString(type);
      parts.push(`${nameKeys[id] ?? id}=${decodeString(value)}`);
    }
  }
  return parts.reverse().join(', ');
}

export function nameAttribute(nameDer: Buffer, key: string): string | undefined {
  const match = nameToString(nameDer)
    .split(', ')
    .find((p) => p.startsWith(`${key}=`));
  return match?.slice(key.length + 1);
}

export function pemToDer(text: string): Buffer[] {
  const out: Buffer[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(Buffer.from((m[2] ?? '').replace(/\s+/g, ''), 'base64'));
  return out;
}
