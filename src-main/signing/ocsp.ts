/**
 * OCSP client (RFC 6960) for the verifier's online revocation check: a request
 * for one certificate (CertID with SHA-1 or SHA-256 over the issuer's name and
 * key, nonce extension) is POSTed as application/ocsp-request to the responder
 * named in the certificate's Authority Information Access (or a configured URL)
 * with a bounded timeout. The BasicOCSPResponse is accepted only when it is signed
 * by the issuer itself or by a responder certificate the issuer issued with
 * extendedKeyUsage OCSPSigning (valid now), echoes our nonce, is fresh
 * (thisUpdate/nextUpdate) and speaks of exactly our CertID. Anything else —
 * unreachable, refused, malformed, foreign — is "cannot tell", never "revoked".
 *
 * With a cache (ocspCache.ts), a 'good' answer is kept until its nextUpdate (or for
 * maxAgeMs when it has none) and a 'revoked' one for good; a kept answer is checked
 * again when read (signature, CertID, nonce, freshness as of when it was received).
 * 'unknown' answers and failures are never kept.
 */
import crypto from 'node:crypto';
import { createLogger } from '../log.js';
import { OID } from './cms.js';
import { bodyOf, bytesOf, certParts, children, ctx, nullDer, octets, oid, oidToString, readNode, seq, timeToDate, type CertParts, type Node } from './der.js';
import { keepUntil, ocspCacheKey, type OcspCache } from './ocspCache.js';

const log = createLogger('signing.ocsp');

export const EKU_OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
const OID_AIA = '1.3.6.1.5.5.7.1.1';
const OID_AD_OCSP = '1.3.6.1.5.5.7.48.1';
const OID_OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
const OID_OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';

export interface OcspOptions {
  /** responder URL to use instead of the certificate's AIA (e.g. an agency's own responder) */
  url?: string;
  /** bound for each exchange (default 10 s) */
  timeoutMs?: number;
  /** CertID hash (default sha1, what every responder understands) */
  hash?: 'sha1' | 'sha256';
  /** clock skew allowed on thisUpdate/producedAt (default 5 min) */
  skewMs?: number;
  /** a response without nextUpdate is fresh (and kept in the cache) for this long after thisUpdate (default 1 day) */
  maxAgeMs?: number;
  /** answers kept between checks (ocspFileCache: `<dataDir>/signing/ocsp`) */
  cache?: OcspCache;
}

/** Why OCSP could not tell, for the UI to word: no responder known, responder not reached (network, timeout, HTTP error), refused, does not know the certificate, an answer we do not accept. */
export type OcspFailure = 'noResponder' | 'unreachable' | 'timeout' | 'refused' | 'certUnknown' | 'badResponse';

/** Where the answer came from: asked now, or kept from an earlier check (`fromCache`). */
interface Answered {
  thisUpdate: Date;
  nextUpdate?: Date;
  /** when the responder produced (signed) the answer */
  producedAt: Date;
  responder: string;
  fromCache?: boolean;
}

export type OcspResult =
  | ({ status: 'good' } & Answered)
  | ({ status: 'revoked'; revokedAt: Date; reason?: number } & Answered)
  | { status: 'unknown'; message: string; failure?: OcspFailure };

/** The signature check (verify.ts's verifyWith), passed in to keep one implementation. */
export type VerifyFn = (algorithm: string, params: Buffer | undefined, digestAlgorithm: string | undefined, data: Buffer, cert: CertParts, signature: Buffer) => boolean | 'unsupported';

/** OCSP responder URLs from the Authority Information Access extension (http only). */
export function ocspUrls(cert: CertParts): string[] {
  const ext = cert.extensions.get(OID_AIA);
  if (!ext) return [];
  const out: string[] = [];
  try {
    for (const ad of children(readNode(ext.value))) {
      const [method, location] = children(ad);
      if (!method || !location || oidToString(method) !== OID_AD_OCSP || location.tag !== 0x86) continue;
      const url = bodyOf(location).toString('latin1');
      if (/^https?:\/\//i.test(url)) out.push(url);
    }
  } catch {
    return [];
  }
  return out;
}

/** The subjectPublicKey BIT STRING's bits (without the unused-bits byte): what issuerKeyHash hashes. */
function publicKeyBits(cert: CertParts): Buffer {
  const bits = children(readNode(cert.spki))[1];
  if (!bits || bits.tag !== 0x03) throw new Error('bad SubjectPublicKeyInfo');
  return Buffer.from(bodyOf(bits).subarray(1));
}

/** DER CertID for `cert` issued by `issuer`. */
export function certId(cert: CertParts, issuer: CertParts, hash: 'sha1' | 'sha256' = 'sha1'): Buffer {
  const h = (data: Buffer): Buffer => crypto.createHash(hash).update(data).digest();
  return seq(seq(oid(hash === 'sha1' ? OID.sha1 : OID.sha256), nullDer()), octets(h(cert.issuer)), octets(h(publicKeyBits(issuer))), cert.serialDer);
}

/** DER OCSPRequest for one CertID with a nonce extension (RFC 8954: OCTET STRING in extnValue). */
export function ocspRequest(id: Buffer, nonce: Buffer): { der: Buffer; nonceValue: Buffer } {
  const nonceValue = octets(nonce);
  const extensions = ctx(2, seq(seq(oid(OID_OCSP_NONCE), octets(nonceValue))));
  return { der: seq(seq(seq(seq(id)), extensions)), nonceValue };
}

function unknown(message: string, failure?: OcspFailure): OcspResult {
  return failure ? { status: 'unknown', message, failure } : { status: 'unknown', message };
}

const REFUSED = 'the OCSP responder refused';
const CERT_UNKNOWN = 'the OCSP responder does not know the certificate';

function extensionValue(extensions: Node | undefined, id: string): Buffer | undefined {
  if (!extensions) return undefined;
  const list = children(extensions)[0];
  if (!list) return undefined;
  for (const ext of children(list)) {
    const parts = children(ext);
    const first = parts[0];
    const last = parts.at(-1);
    if (first && last && oidToString(first) === id) return Buffer.from(bodyOf(last));
  }
  return undefined;
}

function ekuOf(cert: CertParts): string[] {
  const eku = cert.extensions.get('2.5.29.37');
  if (!eku) return [];
  try {
    return children(readNode(eku.value)).map((n) => oidToString(n));
  } catch {
    return [];
  }
}

/**
 * Checks a DER OCSPResponse against what we asked (CertID, nonce) for `issuer`'s
 * certificate. `now` is the clock for freshness and the responder certificate.
 */
export function readOcspResponse(
  der: Buffer,
  expected: { certId: Buffer; nonceValue?: Buffer; issuer: CertParts; now: Date; skewMs?: number; maxAgeMs?: number },
  verify: VerifyFn,
): OcspResult {
  const skew = expected.skewMs ?? 5 * 60_000;
  const maxAge = expected.maxAgeMs ?? 24 * 3600_000;
  try {
    const top = readNode(der);
    if (top.end !== der.length) return unknown('trailing data after the OCSP response');
    const [statusNode, bytesNode] = children(top);
    if (!statusNode || statusNode.tag !== 0x0a) return unknown('not an OCSP response');
    const status = bodyOf(statusNode)[0] ?? -1;
    if (status !== 0) return unknown(`${REFUSED} (status ${status})`);
    const responseBytes = bytesNode?.tag === 0xa0 ? children(bytesNode)[0] : undefined;
    const [typeNode, octetsNode] = responseBytes ? children(responseBytes) : [];
    if (!typeNode || !octetsNode || oidToString(typeNode) !== OID_OCSP_BASIC) return unknown('not a basic OCSP response');
    const basic = readNode(Buffer.from(bodyOf(octetsNode)));
    const [tbsNode, algNode, sigNode, certsNode] = children(basic);
    if (!tbsNode || !algNode || !sigNode || sigNode.tag !== 0x03) return unknown('malformed OCSP response');
    const algParts = children(algNode);
    const algOid = algParts[0];
    if (!algOid) return unknown('malformed OCSP response');
    const params = algParts[1] && algParts[1].tag !== 0x05 ? Buffer.from(bytesOf(algParts[1])) : undefined;
    const signature = Buffer.from(bodyOf(sigNode).subarray(1));
    const tbs = Buffer.from(bytesOf(tbsNode));

    // ---- who signed: the issuer, or a delegated responder it issued (EKU OCSPSigning, valid now)
    const carried: CertParts[] = [];
    if (certsNode?.tag === 0xa0) {
      const list = children(certsNode)[0];
      for (const c of list ? children(list).slice(0, 10) : []) {
        try {
          carried.push(certParts(Buffer.from(bytesOf(c))));
        } catch {
          // not a certificate: skip
        }
      }
    }
    const issuer = expected.issuer;
    let signer: CertParts | undefined;
    if (verify(oidToString(algOid), params, undefined, tbs, issuer, signature) === true) signer = issuer;
    else {
      for (const c of carried) {
        if (!c.issuer.equals(issuer.subject) || !ekuOf(c).includes(EKU_OCSP_SIGNING)) continue;
        if (expected.now < c.notBefore || expected.now > c.notAfter) continue;
        const certAlg = children(readNode(c.der))[1];
        const certParams = certAlg ? children(certAlg)[1] : undefined;
        if (verify(c.signatureAlgorithm, certParams && certParams.tag !== 0x05 ? Buffer.from(bytesOf(certParams)) : undefined, undefined, c.tbs, issuer, c.signature) !== true) continue;
        if (verify(oidToString(algOid), params, undefined, tbs, c, signature) !== true) continue;
        signer = c;
        break;
      }
    }
    if (!signer) return unknown('the OCSP response is not signed by the issuer or a responder it authorised');

    // ---- ResponseData { version [0] DEFAULT v1, responderID, producedAt, responses, responseExtensions [1] }
    const fields = children(tbsNode);
    let i = fields[0]?.tag === 0xa0 ? 1 : 0;
    i += 1; // responderID
    const producedAt = fields[i++];
    const responses = fields[i++];
    const extensions = fields[i]?.tag === 0xa1 ? fields[i] : undefined;
    if (!producedAt || producedAt.tag !== 0x18 || !responses || responses.tag !== 0x30) return unknown('malformed OCSP response data');
    const single = children(responses)
      .slice(0, 50)
      .find((r) => {
        const id = children(r)[0];
        return id !== undefined && bytesOf(id).equals(expected.certId);
      });
    if (!single) return unknown('the OCSP response is about another certificate');
    if (expected.nonceValue) {
      const echoed = extensionValue(extensions, OID_OCSP_NONCE);
      if (!echoed || !echoed.equals(expected.nonceValue)) return unknown('the OCSP response does not carry our nonce (replayed or mixed up)');
    }
    const [, statusChoice, thisUpdateNode, maybeNext] = children(single);
    if (!statusChoice || !thisUpdateNode || thisUpdateNode.tag !== 0x18) return unknown('malformed OCSP single response');
    const thisUpdate = timeToDate(thisUpdateNode);
    const produced = timeToDate(producedAt);
    const nextNode = maybeNext?.tag === 0xa0 ? children(maybeNext)[0] : undefined;
    const nextUpdate = nextNode ? timeToDate(nextNode) : undefined;
    const now = expected.now.getTime();
    if (thisUpdate.getTime() > now + skew) return unknown('the OCSP response is dated in the future');
    if (nextUpdate ? nextUpdate.getTime() < now - skew : thisUpdate.getTime() + maxAge < now) return unknown('the OCSP response is stale');
    const responder = signer === issuer ? 'issuer' : 'delegated responder';
    const answered: Answered = { thisUpdate, ...(nextUpdate ? { nextUpdate } : {}), producedAt: produced, responder };
    if (statusChoice.tag === 0x80) return { status: 'good', ...answered };
    if (statusChoice.tag === 0xa1) {
      const [timeNode, reasonNode] = children(statusChoice);
      if (!timeNode || timeNode.tag !== 0x18) return unknown('malformed OCSP revocation info');
      const reasonEnum = reasonNode?.tag === 0xa0 ? children(reasonNode)[0] : undefined;
      return { status: 'revoked', revokedAt: timeToDate(timeNode), reason: reasonEnum ? bodyOf(reasonEnum)[0] : undefined, ...answered };
    }
    if (statusChoice.tag === 0x82) return unknown(CERT_UNKNOWN);
    return unknown('malformed OCSP certificate status');
  } catch {
    return unknown('malformed OCSP response');
  }
}

/** The failure class of an answer readOcspResponse did not accept. */
function failureOf(message: string): OcspFailure {
  if (message === CERT_UNKNOWN) return 'certUnknown';
  if (message.startsWith(REFUSED)) return 'refused';
  return 'badResponse';
}

/**
 * A kept answer about `cert`, checked again as of when it was received; undefined (and
 * the entry dropped) when there is none, it is past its time, or it no longer checks out.
 */
function cachedAnswer(cache: OcspCache, key: string, cert: CertParts, issuer: CertParts, options: OcspOptions, verify: VerifyFn, now: Date): OcspResult | undefined {
  const entry = cache.read(key);
  if (!entry) return undefined;
  if (entry.keepUntil && now >= entry.keepUntil) {
    cache.remove(key);
    return undefined;
  }
  let result: OcspResult;
  try {
    const id = certId(cert, issuer, entry.hash);
    result = readOcspResponse(entry.der, { certId: id, nonceValue: entry.nonceValue, issuer, now: entry.receivedAt, skewMs: options.skewMs, maxAgeMs: options.maxAgeMs }, verify);
  } catch {
    result = unknown('unreadable cache entry');
  }
  if (result.status === 'unknown') {
    log.warn('OCSP cache entry dropped', { cause: result.message });
    cache.remove(key);
    return undefined;
  }
  return { ...result, fromCache: true };
}

/**
 * Asks the responder (options.url, else the certificate's AIA) about `cert`, unless the
 * cache holds an answer still in time. Never throws: every failure is { status: 'unknown' } with why.
 */
export async function checkOcsp(cert: CertParts, issuer: CertParts, options: OcspOptions, verify: VerifyFn, now = new Date()): Promise<OcspResult> {
  const cache = options.cache;
  const key = cache ? ocspCacheKey(cert, issuer) : '';
  if (cache) {
    const kept = cachedAnswer(cache, key, cert, issuer, options, verify, now);
    if (kept) return kept;
  }
  const target = options.url ?? ocspUrls(cert)[0];
  if (!target) return unknown('no OCSP responder known (no AIA OCSP URL)', 'noResponder');
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return unknown('the OCSP responder address is not a URL', 'noResponder');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return unknown('the OCSP responder address must be http(s)', 'noResponder');
  const where = `${url.protocol}//${url.host}`;
  const hash = options.hash ?? 'sha1';
  let id: Buffer;
  try {
    id = certId(cert, issuer, hash);
  } catch {
    return unknown('cannot build the OCSP request', 'badResponse');
  }
  const { der, nonceValue } = ocspRequest(id, crypto.randomBytes(16));
  const timeoutMs = options.timeoutMs ?? 10_000;
  let body: Buffer;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/ocsp-request', Accept: 'application/ocsp-response' },
      body: new Uint8Array(der),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    if (!response.ok) return unknown(`the OCSP responder ${where} answered HTTP ${response.status}`, 'refused');
    const length = Number(response.headers.get('content-length') ?? '0');
    if (length > 1_000_000) return unknown(`the OCSP responder ${where} answer is too large`, 'badResponse');
    body = Buffer.from(await response.arrayBuffer());
    if (body.length > 1_000_000) return unknown(`the OCSP responder ${where} answer is too large`, 'badResponse');
  } catch (error) {
    const timedOut = (error as { name?: unknown } | null)?.name === 'TimeoutError';
    log.warn('OCSP responder unreachable', { responder: where, cause: timedOut ? 'timeout' : 'network' });
    return timedOut ? unknown(`the OCSP responder ${where} did not answer in time`, 'timeout') : unknown(`the OCSP responder ${where} cannot be reached`, 'unreachable');
  }
  const result = readOcspResponse(body, { certId: id, nonceValue, issuer, now, skewMs: options.skewMs, maxAgeMs: options.maxAgeMs }, verify);
  if (result.status === 'unknown') return unknown(`${result.message} (${where})`, failureOf(result.message));
  log.info('OCSP', { responder: where, status: result.status });
  if (cache) {
    try {
      cache.write(key, { der: body, nonceValue, hash, receivedAt: now, keepUntil: keepUntil(result, options.maxAgeMs) });
    } catch (error) {
      log.warn('OCSP answer not cached', { cause: error instanceof Error ? error.name : 'unknown' });
    }
  }
  return { ...result, fromCache: false };
}
