/**
 * RFC 3161 timestamp client (PAdES B-T): the SHA-256 of the signature value is
 * sent to the configured TSA as an HTTP POST (application/timestamp-query) with a
 * random nonce and certReq; the reply is checked (status granted, TSTInfo over our
 * imprint with our nonce, the token's own signature made by the TSA certificate it
 * carries, with extendedKeyUsage timeStamping) before the token goes into the CMS
 * as the id-aa-signatureTimeStampToken unsigned attribute. Whether the TSA is
 * trusted is the verifier's question (trust store), not the signer's.
 */
import crypto from 'node:crypto';
import { AppError } from '../api/errors.js';
import { createLogger } from '../log.js';
import { OID, hashNames, parseSignedData } from './cms.js';
import { bodyOf, certParts, children, int, nullDer, octets, oid, oidToString, readNode, seq, timeToDate, tlv, type CertParts, type Node } from './der.js';

const log = createLogger('signing.tsa');

export const EKU_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

export interface TsaOptions {
  /** http(s) URL of the RFC 3161 service */
  url: string;
  /** bound for the whole exchange (default 15 s) */
  timeoutMs?: number;
  /** a TSA policy OID to ask for */
  policy?: string;
  /** extra request headers (e.g. an access key some TSAs ask for); never logged */
  headers?: Record<string, string>;
}

export interface TimestampInfo {
  /** the TimeStampToken (ContentInfo of a SignedData over TSTInfo), DER */
  token: Buffer;
  time: Date;
  serial: string;
  policy: string;
  tsa: CertParts;
}

/** DER TimeStampReq (RFC 3161 §2.4.1) over a SHA-256 imprint. */
export function timestampRequest(imprint: Buffer, nonce: Buffer, policy?: string): Buffer {
  const parts = [int(1), seq(seq(oid(OID.sha256), nullDer()), octets(imprint))];
  if (policy) parts.push(oid(policy));
  parts.push(int(positive(nonce)));
  parts.push(tlv(0x01, Buffer.from([0xff]))); // certReq TRUE: the TSA certificate comes in the token
  return seq(...parts);
}

/** An INTEGER body that stays positive (leading 0x00 when the top bit is set). */
function positive(bytes: Buffer): Buffer {
  return (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

function unsignedBig(body: Buffer): bigint {
  return body.length ? BigInt(`0x${body.toString('hex')}`) : 0n;
}

/** TSA failures: the code is generic (as for the token's), `details.reason` says which (TSA_…). */
function tsaError(message: string, reason: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError(reason === 'TSA_REFUSED' ? 'FORBIDDEN' : 'INTERNAL', message, { reason, ...extra });
}

const statusText: Record<number, string> = { 0: 'granted', 1: 'grantedWithMods', 2: 'rejection', 3: 'waiting', 4: 'revocationWarning', 5: 'revocationNotification' };

/** TSTInfo fields the client and the verifier read. */
export interface TstInfo {
  policy: string;
  hashAlgorithm: string;
  hashedMessage: Buffer;
  serial: Buffer;
  genTime: Date;
  nonce?: Buffer;
}

export function parseTstInfo(der: Buffer): TstInfo {
  const f = children(readNode(der));
  const [version, policy, imprint, serial, genTime] = f;
  if (!version || !policy || !imprint || !serial || genTime?.tag !== 0x18) throw tsaError('Malformed TSTInfo', 'TSA_BAD_RESPONSE');
  const [alg, hashed] = children(imprint);
  const algOid = alg ? children(alg)[0] : undefined;
  if (!algOid || !hashed) throw tsaError('Malformed TSTInfo imprint', 'TSA_BAD_RESPONSE');
  // optional: accuracy (SEQUENCE), ordering (BOOLEAN), nonce (INTEGER), tsa [0], extensions [1]
  const nonce = f.slice(5).find((n) => n.tag === 0x02);
  return {
    policy: oidToString(policy),
    hashAlgorithm: oidToString(algOid),
    hashedMessage: Buffer.from(bodyOf(hashed)),
    serial: Buffer.from(bodyOf(serial)),
    genTime: timeToDate(genTime),
    nonce: nonce ? Buffer.from(bodyOf(nonce)) : undefined,
  };
}

/**
 * Checks a TimeStampToken on its own: a SignedData over TSTInfo, signed (signed
 * attributes, message digest) by the certificate it carries, which is a TSA
 * certificate (extendedKeyUsage timeStamping, critical as RFC 3161 §2.3 requires).
 * `verify` is the signature check (verify.ts's, to keep one implementation).
 */
export function checkTokenSelf(
  token: Buffer,
  verify: (algorithm: string, params: Buffer | undefined, digestAlgorithm: string, data: Buffer, cert: CertParts, signature: Buffer) => boolean | 'unsupported',
): { tst: TstInfo; tsa: CertParts; certs: CertParts[]; attrs: Map<string, Node[]> } {
  const sd = parseSignedData(token);
  const si = sd.signerInfos[0];
  if (sd.contentType !== OID.tstInfo || !sd.content || !si) throw tsaError('The timestamp token is not a TSTInfo SignedData', 'TSA_BAD_RESPONSE');
  const tst = parseTstInfo(sd.content);
  const certs = sd.certificates.map((c) => certParts(c));
  const tsa = certs.find((c) => (si.subjectKeyId ? c.extensions.get('2.5.29.14')?.value.subarray(2).equals(si.subjectKeyId) : c.issuer.equals(si.issuer) && c.serial.equals(si.serial)));
  if (!tsa) throw tsaError('The timestamp token does not carry the TSA certificate', 'TSA_CERT_MISSING');
  const md = si.attrs.get(OID.messageDigest)?.[0];
  const contentHash = crypto.createHash(hashNames[si.digestAlgorithm] ?? 'sha256').update(sd.content).digest();
  if (!md || !si.signedAttrs || !bodyOf(md).equals(contentHash)) throw tsaError('The timestamp token was altered', 'TSA_BAD_SIGNATURE');
  if (verify(si.signatureAlgorithm, si.signatureAlgorithmParams, si.digestAlgorithm, si.signedAttrs, tsa, si.signature) !== true) {
    throw tsaError('The timestamp token signature does not verify', 'TSA_BAD_SIGNATURE');
  }
  const eku = tsa.extensions.get('2.5.29.37');
  const purposes = eku ? children(readNode(eku.value)).map((n: Node) => oidToString(n)) : [];
  if (!eku || !eku.critical || purposes.length !== 1 || purposes[0] !== EKU_TIME_STAMPING) {
    throw tsaError('The timestamp was not made by a time-stamping certificate (extendedKeyUsage timeStamping, critical)', 'TSA_NOT_TSA');
  }
  return { tst, tsa, certs, attrs: si.attrs };
}

/** Parses a TimeStampResp, checks it answers this request, returns the token. */
export function readTimestampResponse(
  der: Buffer,
  expected: { imprint: Buffer; nonce: Buffer; policy?: string },
  verify: Parameters<typeof checkTokenSelf>[1],
): TimestampInfo {
  let top: Node;
  try {
    top = readNode(der);
  } catch {
    throw tsaError('The TSA answer is not a timestamp response', 'TSA_BAD_RESPONSE');
  }
  const [statusInfo, tokenNode] = children(top);
  const statusNode = statusInfo ? children(statusInfo)[0] : undefined;
  if (!statusNode || statusNode.tag !== 0x02) throw tsaError('The TSA answer is not a timestamp response', 'TSA_BAD_RESPONSE');
  const status = bodyOf(statusNode).readUIntBE(0, Math.min(6, bodyOf(statusNode).length));
  if (status !== 0 && status !== 1) {
    const texts = statusInfo ? children(statusInfo).slice(1).filter((n) => n.tag === 0x30).flatMap((n) => children(n).map((t) => bodyOf(t).toString('utf8'))) : [];
    throw tsaError(`The TSA refused the request (${statusText[status] ?? status})`, 'TSA_REFUSED', { status: statusText[status] ?? status, text: texts.join('; ').slice(0, 200) });
  }
  if (!tokenNode) throw tsaError('The TSA answer has no token', 'TSA_BAD_RESPONSE');
  const token = Buffer.from(der.subarray(tokenNode.start, tokenNode.end));
  let checked;
  try {
    checked = checkTokenSelf(token, verify);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw tsaError('The timestamp token is unreadable', 'TSA_BAD_RESPONSE');
  }
  const { tst, tsa } = checked;
  if (tst.hashAlgorithm !== OID.sha256 || !tst.hashedMessage.equals(expected.imprint)) throw tsaError('The timestamp is not over this signature', 'TSA_WRONG_IMPRINT');
  if (!tst.nonce || unsignedBig(tst.nonce) !== unsignedBig(expected.nonce)) throw tsaError('The TSA answer does not carry our nonce (replayed or mixed up)', 'TSA_WRONG_NONCE');
  if (expected.policy && tst.policy !== expected.policy) throw tsaError('The TSA answered under another policy', 'TSA_WRONG_POLICY', { policy: tst.policy });
  return { token, time: tst.genTime, serial: tst.serial.toString('hex'), policy: tst.policy, tsa };
}

/** Asks the TSA for a timestamp over `imprint` (SHA-256 of the signature value). */
export async function requestTimestamp(options: TsaOptions, imprint: Buffer, verify: Parameters<typeof checkTokenSelf>[1]): Promise<TimestampInfo> {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new AppError('INVALID_INPUT', 'The TSA address is not a URL', { reason: 'TSA_BAD_URL' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('INVALID_INPUT', 'The TSA address must be http(s)', { reason: 'TSA_BAD_URL' });
  const nonce = crypto.randomBytes(8);
  const body = timestampRequest(imprint, nonce, options.policy);
  const where = `${url.protocol}//${url.host}`; // for messages and logs: no path or query (may hold a key)
  const timeoutMs = options.timeoutMs ?? 15_000;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { ...options.headers, 'Content-Type': 'application/timestamp-query', Accept: 'application/timestamp-reply' },
      body: new Uint8Array(body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
    const timedOut = (error as { name?: unknown } | null)?.name === 'TimeoutError';
    log.warn('TSA unreachable', { tsa: where, cause: typeof cause === 'string' ? cause : timedOut ? 'timeout' : 'network' });
    throw tsaError(timedOut ? `The timestamp service ${where} did not answer in time` : `The timestamp service ${where} cannot be reached`, timedOut ? 'TSA_TIMEOUT' : 'TSA_UNREACHABLE', { tsa: where });
  }
  if (!response.ok) throw tsaError(`The timestamp service ${where} answered HTTP ${response.status}`, 'TSA_HTTP_ERROR', { tsa: where, status: response.status });
  const type = response.headers.get('content-type') ?? '';
  const der = Buffer.from(await response.arrayBuffer());
  if (!/application\/timestamp-reply/i.test(type) && der[0] !== 0x30) throw tsaError(`The timestamp service ${where} did not answer with a timestamp`, 'TSA_BAD_RESPONSE', { tsa: where });
  const info = readTimestampResponse(der, { imprint, nonce, policy: options.policy }, verify);
  log.info('timestamp', { tsa: where, serial: info.serial, time: info.time.toISOString() });
  return info;
}
