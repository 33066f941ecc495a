/**
 * Verifies every signature of a PDF: byte-range integrity, CMS signature,
 * signing-certificate binding, chain to the trust store, validity at signing time,
 * key usage, revocation from cached CRLs (OCSP when online checks are allowed), signature timestamp, and what changed
 * after the signature. Each check is ok / failed / unknown, and a signature is
 * valid (all ok), invalid (any failed) or indeterminate ("cannot tell", with why):
 * revocation unknown while offline is not "invalid".
 */
import crypto from 'node:crypto';
import { OID, hashNames, parseSignedData, type ParsedSignerInfo } from './cms.js';
import { changesAfter, findSignatures, signedEnd, type Change, type FoundSignature } from './changes.js';
import { AppError } from '../api/errors.js';
import { bodyOf, bytesOf, certParts, children, keyUsage, nameToString, oidToString, readNode, timeToDate, type CertParts, type Node } from './der.js';
import { PdfString } from './pdf/objects.js';
import { PdfFile } from './pdf/reader.js';
import { parsePdfDate, vnIso } from './time.js';
import type { Crl, TrustStore } from './trust.js';
import { checkTokenSelf } from './tsa.js';
import { checkOcsp, type OcspFailure, type OcspOptions, type OcspResult } from './ocsp.js';

export type CheckState = 'ok' | 'failed' | 'unknown' | 'absent';
export type Status = 'valid' | 'invalid' | 'indeterminate';

export interface Check {
  state: CheckState;
  message: string;
}

export interface SignatureReport {
  index: number;
  fieldName: string;
  status: Status;
  /** why not valid, in order of importance */
  reasons: string[];
  signer?: { subject: string; commonName?: string; issuer: string; serial: string; notBefore: string; notAfter: string; keyUsage?: string[] };
  signingTime?: string;
  signingTimeSource?: 'timestamp' | 'claimed';
  /** the signature timestamp (PAdES B-T), when there is one that could be read */
  timestamp?: { time: string; tsa: string; serial: string; trusted: boolean };
  subFilter?: string;
  byteRange: number[];
  coversWholeDocument: boolean;
  changesAfter: { kind: Change['kind']; allowed: boolean; why: string }[];
  pageIndex?: number;
  /** online checks allowed: what OCSP said about each certificate it was asked about (signer first) */
  ocsp?: OcspAnswer[];
  checks: {
    integrity: Check;
    signature: Check;
    signingCertificate: Check;
    chain: Check;
    validity: Check;
    keyUsage: Check;
    revocation: Check;
    timestamp: Check;
    modifications: Check;
  };
}

/** One OCSP answer as the report shows it (times as vnIso). */
export interface OcspAnswer {
  /** subject of the certificate asked about */
  certificate: string;
  status: 'good' | 'revoked' | 'unknown';
  /** when the responder produced the answer */
  producedAt?: string;
  thisUpdate?: string;
  nextUpdate?: string;
  revokedAt?: string;
  /** kept from an earlier check (ocspCache.ts) rather than asked now */
  fromCache: boolean;
  /** unknown: why, as a class and in words */
  failure?: OcspFailure;
  message?: string;
}

export interface VerifyReport {
  file: string;
  size: number;
  signatures: SignatureReport[];
}

export interface VerifyOptions {
  trust: TrustStore;
  /** "now" for tests */
  now?: Date;
  /**
   * Online revocation checks allowed: where no cached CRL decides, the signer's
   * certificates are asked about over OCSP (AIA URL, or `ocsp.url` for the signer's
   * own). Absent: offline, cached CRLs only.
   */
  ocsp?: OcspOptions;
}

const sigHash: Record<string, string> = {
  [OID.sha256WithRSA]: 'sha256',
  [OID.sha384WithRSA]: 'sha384',
  [OID.sha512WithRSA]: 'sha512',
  [OID.sha1WithRSA]: 'sha1',
  [OID.ecdsaSha256]: 'sha256',
  [OID.ecdsaSha384]: 'sha384',
  [OID.ecdsaSha512]: 'sha512',
};

/**
 * Parsed certificates by their DER: a batch of documents carries the same signer
 * and CA certificates over and over. Entries are treated as read-only.
 */
const certCache = new Map<string, CertParts>();
function parsedCert(der: Buffer): CertParts {
  const id = der.toString('latin1');
  let parts = certCache.get(id);
  if (!parts) {
    parts = certParts(der);
    if (certCache.size >= 500) certCache.clear();
    certCache.set(id, parts);
  }
  return parts;
}

/** Readable names, once per Name buffer (the cached certificates' buffers come back). */
const nameText = new WeakMap<Buffer, string>();
function nameOf(der: Buffer): string {
  let text = nameText.get(der);
  if (text === undefined) {
    text = nameToString(der);
    nameText.set(der, text);
  }
  return text;
}

/** Public keys by SPKI bytes: the same signers and CAs come back file after file. */
const keyCache = new Map<string, crypto.KeyObject>();
function publicKey(cert: CertParts): crypto.KeyObject {
  const id = cert.spki.toString('base64');
  let key = keyCache.get(id);
  if (!key) {
    key = crypto.createPublicKey({ key: cert.spki, format: 'der', type: 'spki' });
    if (keyCache.size >= 1000) keyCache.clear();
    keyCache.set(id, key);
  }
  return key;
}

/** Verifies a signature made by `cert`'s key; 'unsupported' for algorithms we do not handle. */
export function verifyWith(algorithm: string, params: Buffer | undefined, digestAlgorithm: string | undefined, data: Buffer, cert: CertParts, signature: Buffer): boolean | 'unsupported' {
  try {
    const key = publicKey(cert);
    if (algorithm === OID.rsaPss && params) {
      const p = children(readNode(params));
      let hash = 'sha1';
      let salt = 20;
      for (const n of p) {
        if (n.tag === 0xa0) hash = hashNames[oidToString(children(children(n)[0] ?? n)[0] ?? n)] ?? hash;
        if (n.tag === 0xa2) salt = bodyOf(children(n)[0] ?? n).readUIntBE(0, Math.min(6, bodyOf(children(n)[0] ?? n).length));
      }
      return crypto.verify(hash, data, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: salt }, signature);
    }
    let hash = sigHash[algorithm];
    if (!hash && (algorithm === OID.rsaEncryption || algorithm === OID.ecPublicKey)) hash = digestAlgorithm ? hashNames[digestAlgorithm] : undefined;
    if (!hash) return 'unsupported';
    return crypto.verify(hash, data, key, signature);
  } catch {
    return false;
  }
}

/**
 * Results of signature checks on certificates and CRLs (the same CAs over and over),
 * by object identity: certificates come from `parsedCert` (one object per exact DER)
 * or the trust store, CRLs from the trust store — so a hit is always for the very
 * same bytes (a key made of the signature value alone would let a forged
 * certificate borrow a genuine certificate's verified signature).
 */
const signedByCache = new WeakMap<object, WeakMap<CertParts, boolean>>();
function cached(subject: object, issuer: CertParts, compute: () => boolean): boolean {
  let byIssuer = signedByCache.get(subject);
  const hit = byIssuer?.get(issuer);
  if (hit !== undefined) return hit;
  const value = compute();
  if (!byIssuer) {
    byIssuer = new WeakMap();
    signedByCache.set(subject, byIssuer);
  }
  byIssuer.set(issuer, value);
  return value;
}

function certSignedBy(cert: CertParts, issuer: CertParts): boolean {
  if (!cert.issuer.equals(issuer.subject)) return false;
  return cached(cert, issuer, () => certSignedByUncached(cert, issuer));
}

function certSignedByUncached(cert: CertParts, issuer: CertParts): boolean {
  const algNode = children(readNode(cert.der))[1];
  const params = algNode ? children(algNode)[1] : undefined;
  const r = verifyWith(cert.signatureAlgorithm, params && params.tag !== 0x05 ? Buffer.from(params.buf.subarray(params.start, params.end)) : undefined, undefined, cert.tbs, issuer, cert.signature);
  return r === true;
}

interface ChainResult {
  chain: CertParts[];
  trusted: boolean;
  message: string;
}

function buildChain(leaf: CertParts, pool: CertParts[], trust: TrustStore): ChainResult {
  const chain = [leaf];
  let cur = leaf;
  for (let depth = 0; depth < 8; depth += 1) {
    const anchor = trust.anchors.find((a) => certSignedBy(cur, a));
    if (anchor) {
      if (!anchor.der.equals(cur.der)) chain.push(anchor);
      return { chain, trusted: true, message: `chains to trusted root "${nameOf(anchor.subject)}"` };
    }
    if (cur.issuer.equals(cur.subject)) return { chain, trusted: false, message: `self-signed certificate "${nameOf(cur.subject)}" is not in the trust store` };
    const next = [...pool, ...trust.intermediates].find((c) => !chain.some((x) => x.der.equals(c.der)) && certSignedBy(cur, c));
    if (!next) return { chain, trusted: false, message: `issuer "${nameOf(cur.issuer)}" not found or not trusted` };
    chain.push(next);
    cur = next;
  }
  return { chain, trusted: false, message: 'certificate chain too long' };
}

/** What the cached CRLs say about one certificate: a failed check, or why they cannot tell (undefined: not revoked). */
function crlStatus(cert: CertParts, issuer: CertParts, trust: TrustStore, at: Date, trustedTime: boolean, now: Date): Check | string | undefined {
  const crls = trust.crls.filter((c) => c.issuer.equals(cert.issuer) && crlSignedBy(c, issuer));
  const fresh = crls.filter((c) => !c.nextUpdate || c.nextUpdate >= now).sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime());
  const crl = fresh[0] ?? crls.sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime())[0];
  if (!crl) return `no CRL cached for "${nameOf(cert.subject)}"`;
  const revokedAt = crl.revoked.get(cert.serial.toString('hex'));
  if (revokedAt) {
    if (!trustedTime || revokedAt <= at) return { state: 'failed', message: `certificate "${nameOf(cert.subject)}" was revoked on ${vnIso(revokedAt)}` };
  }
  if (!fresh[0]) return `CRL for "${nameOf(cert.subject)}" expired on ${crl.nextUpdate ? vnIso(crl.nextUpdate) : '?'} (offline)`;
  return undefined;
}

function checkRevocation(chain: CertParts[], trust: TrustStore, at: Date, trustedTime: boolean, now: Date): Check {
  // every certificate but the anchor
  const unknown: string[] = [];
  for (let i = 0; i < chain.length - 1; i += 1) {
    const status = crlStatus(chain[i] as CertParts, chain[i + 1] as CertParts, trust, at, trustedTime, now);
    if (typeof status === 'string') unknown.push(status);
    else if (status) return status;
  }
  if (unknown.length) return { state: 'unknown', message: `revocation unknown: ${unknown.join('; ')}` };
  return { state: 'ok', message: 'not revoked (cached CRLs)' };
}

/**
 * As checkRevocation, and where no cached CRL decides, asks OCSP (online checks
 * allowed): good → ok, revoked at or before the signing time (or without a trusted
 * time) → failed, no answer / unknown / refused answer → unknown, never failed.
 */
async function checkRevocationOnline(chain: CertParts[], trust: TrustStore, at: Date, trustedTime: boolean, now: Date, ocsp: OcspOptions, answers: OcspAnswer[]): Promise<Check> {
  const unknown: string[] = [];
  let viaOcsp = false;
  for (let i = 0; i < chain.length - 1; i += 1) {
    const cert = chain[i] as CertParts;
    const issuer = chain[i + 1] as CertParts;
    const status = crlStatus(cert, issuer, trust, at, trustedTime, now);
    if (status === undefined) continue;
    if (typeof status !== 'string') return status;
    // the configured URL is for end-entity certificates; CA certificates use their own AIA
    const answer = await checkOcsp(cert, issuer, i === 0 ? ocsp : { ...ocsp, url: undefined }, verifyWith, now);
    answers.push(ocspAnswer(cert, answer));
    if (answer.status === 'good') {
      viaOcsp = true;
      continue;
    }
    if (answer.status === 'revoked') {
      if (!trustedTime || answer.revokedAt <= at) return { state: 'failed', message: `certificate "${nameOf(cert.subject)}" was revoked on ${vnIso(answer.revokedAt)} (OCSP)` };
      viaOcsp = true;
      continue;
    }
    unknown.push(`${status}; OCSP: ${answer.message}`);
  }
  if (unknown.length) return { state: 'unknown', message: `revocation unknown: ${unknown.join('; ')}` };
  return { state: 'ok', message: viaOcsp ? 'not revoked (OCSP and cached CRLs)' : 'not revoked (cached CRLs)' };
}

function ocspAnswer(cert: CertParts, answer: OcspResult): OcspAnswer {
  const certificate = nameOf(cert.subject);
  if (answer.status === 'unknown') return { certificate, status: 'unknown', fromCache: false, ...(answer.failure ? { failure: answer.failure } : {}), message: answer.message };
  return {
    certificate,
    status: answer.status,
    producedAt: vnIso(answer.producedAt),
    thisUpdate: vnIso(answer.thisUpdate),
    ...(answer.nextUpdate ? { nextUpdate: vnIso(answer.nextUpdate) } : {}),
    ...(answer.status === 'revoked' ? { revokedAt: vnIso(answer.revokedAt) } : {}),
    fromCache: answer.fromCache === true,
  };
}

function crlSignedBy(crl: Crl, issuer: CertParts): boolean {
  return cached(crl, issuer, () => verifyWith(crl.signatureAlgorithm, undefined, undefined, crl.tbs, issuer, crl.signature) === true);
}

/** The ESS signing-certificate(-v2) attribute against the certificate that verified the signature. */
function essCertId(attrs: Map<string, Node[]>, cert: CertParts): 'match-v2' | 'match-v1' | 'mismatch' | 'malformed' | 'absent' {
  const v2 = attrs.get(OID.signingCertificateV2)?.[0];
  const v1 = v2 ? undefined : attrs.get(OID.signingCertificate)?.[0];
  const value = v2 ?? v1;
  if (!value) return 'absent';
  try {
    // SigningCertificate(V2) { certs SEQUENCE OF ESSCertID(v2), … }: the first names the signer
    const first = children(children(value)[0] ?? value)[0];
    const parts = first ? children(first) : [];
    const hasAlg = v2 !== undefined && parts[0]?.tag === 0x30;
    const alg = v1 ? 'sha1' : hasAlg ? (hashNames[oidToString(children(parts[0] as Node)[0] as Node)] ?? 'unknown') : 'sha256';
    const certHash = parts[hasAlg ? 1 : 0];
    if (!certHash || certHash.tag !== 0x04 || alg === 'unknown') return 'malformed';
    if (!crypto.createHash(alg).update(cert.der).digest().equals(bodyOf(certHash))) return 'mismatch';
    return v2 ? 'match-v2' : 'match-v1';
  } catch {
    return 'malformed';
  }
}

interface TimestampResult {
  check: Check;
  time?: Date;
  tsa?: CertParts;
  serial?: string;
  trusted?: boolean;
}

/**
 * The signature timestamp (PAdES B-T): a token over the SHA-256 (or other) of this
 * signature value, signed by a time-stamping certificate it carries (EKU
 * timeStamping, ESS certificate id matching), valid at the time it states, chaining
 * to the trust store, not revoked per cached CRLs. Only then is its time the
 * signing time.
 */
function checkTimestamp(si: ParsedSignerInfo, trust: TrustStore, now: Date): TimestampResult {
  const token = si.unsignedAttrs.get(OID.timeStampToken)?.[0];
  if (!token) return { check: { state: 'absent', message: 'no signature timestamp' } };
  let checked;
  try {
    checked = checkTokenSelf(Buffer.from(bytesOf(token)), verifyWith);
  } catch (error) {
    return { check: failed(error instanceof AppError ? error.message : 'unreadable timestamp token') };
  }
  const { tst, tsa, certs, attrs } = checked;
  const hashName = hashNames[tst.hashAlgorithm];
  if (!hashName) return { check: failed(`unsupported timestamp hash ${tst.hashAlgorithm}`) };
  if (!crypto.createHash(hashName).update(si.signature).digest().equals(tst.hashedMessage)) return { check: failed('the timestamp does not cover this signature') };
  const ess = essCertId(attrs, tsa);
  if (ess === 'mismatch' || ess === 'malformed') return { check: failed('the timestamp token names another TSA certificate') };
  const time = tst.genTime;
  const base = { time, tsa, serial: tst.serial.toString('hex') };
  if (time < tsa.notBefore || time > tsa.notAfter) return { ...base, check: failed(`the TSA certificate was not valid at ${vnIso(time)}`) };
  const chain = buildChain(tsa, certs, trust);
  if (!chain.trusted) return { ...base, trusted: false, check: unknown(`timestamp at ${vnIso(time)}, TSA not trusted: ${chain.message}`) };
  const revocation = checkRevocation(chain.chain, trust, time, true, now);
  if (revocation.state === 'failed') return { ...base, trusted: false, check: failed(`TSA ${revocation.message}`) };
  const note = revocation.state === 'unknown' ? ` (TSA ${revocation.message})` : '';
  return { ...base, trusted: true, check: ok(`timestamp at ${vnIso(time)} by "${nameOf(tsa.subject)}"${note}`) };
}

function ok(message: string): Check {
  return { state: 'ok', message };
}
function failed(message: string): Check {
  return { state: 'failed', message };
}
function unknown(message: string): Check {
  return { state: 'unknown', message };
}

async function verifyOne(file: PdfFile, found: FoundSignature, index: number, all: FoundSignature[], options: VerifyOptions): Promise<SignatureReport> {
  const now = options.now ?? new Date();
  const na: Check = { state: 'unknown', message: 'not checked' };
  const report: SignatureReport = {
    index,
    fieldName: found.fieldName,
    status: 'indeterminate',
    reasons: [],
    subFilter: found.subFilter,
    byteRange: found.byteRange,
    coversWholeDocument: false,
    changesAfter: [],
    pageIndex: found.pageIndex,
    checks: { integrity: na, signature: na, signingCertificate: na, chain: na, validity: na, keyUsage: na, revocation: na, timestamp: na, modifications: na },
  };
  const finish = (): SignatureReport => {
    const bad = Object.entries(report.checks).filter(([, c]) => c.state === 'failed');
    const unsure = Object.entries(report.checks).filter(([, c]) => c.state === 'unknown');
    report.status = bad.length ? 'invalid' : unsure.length ? 'indeterminate' : 'valid';
    report.reasons = [...bad, ...unsure].map(([k, c]) => `${k}: ${c.message}`);
    return report;
  };

  // ---- byte range
  const [a = -1, b = -1, c = -1, d = -1] = found.byteRange;
  const end = c + d;
  // the unsigned gap [b, c) must be exactly the /Contents hex string
  const lt = file.read(b, 1).toString('latin1');
  const gt = file.read(c - 1, 1).toString('latin1');
  if (found.byteRange.length !== 4 || a !== 0 || b <= 0 || c <= b || d < 0 || end > file.size || lt !== '<' || gt !== '>' || (c - b - 2) !== found.contents.length * 2) {
    report.checks.integrity = failed('the signed byte range is malformed (it must cover the whole revision except the signature value)');
    return finish();
  }
  report.coversWholeDocument = end === file.size;

  // ---- CMS
  let signed;
  try {
    signed = parseSignedData(found.contents);
  } catch {
    report.checks.integrity = failed('the signature value is not a CMS SignedData');
    return finish();
  }
  const si = signed.signerInfos[0];
  if (!si) {
    report.checks.integrity = failed('no signer in the CMS');
    return finish();
  }
  const certs = signed.certificates.flatMap((der) => {
    try {
      return [parsedCert(der)];
    } catch {
      return [];
    }
  });
  const signer = certs.find((cp) => (si.subjectKeyId ? cp.extensions.get('2.5.29.14')?.value.subarray(2).equals(si.subjectKeyId) : cp.issuer.equals(si.issuer) && cp.serial.equals(si.serial)));
  if (!signer) {
    report.checks.signature = failed('the signer certificate is not in the signature');
    return finish();
  }
  report.signer = {
    subject: nameOf(signer.subject),
    commonName: nameOf(signer.subject).split(', ').find((p) => p.startsWith('CN='))?.slice(3),
    issuer: nameOf(signer.issuer),
    serial: signer.serial.toString('hex'),
    notBefore: signer.notBefore.toISOString(),
    notAfter: signer.notAfter.toISOString(),
    keyUsage: keyUsage(signer),
  };

  // ---- integrity: digest of the byte ranges
  const hashName = hashNames[si.digestAlgorithm];
  if (!hashName) {
    report.checks.integrity = unknown(`unsupported digest algorithm ${si.digestAlgorithm}`);
    return finish();
  }
  const digest = await file.hashRanges([[a, b], [c, d]], hashName);
  if (si.signedAttrs) {
    const md = si.attrs.get(OID.messageDigest)?.[0];
    if (!md || !bodyOf(md).equals(digest)) report.checks.integrity = failed('the document bytes do not match the signed digest (modified)');
    else report.checks.integrity = ok('signed bytes intact');
    const verified = verifyWith(si.signatureAlgorithm, si.signatureAlgorithmParams, si.digestAlgorithm, si.signedAttrs, signer, si.signature);
    report.checks.signature =
      verified === 'unsupported' ? unknown(`unsupported signature algorithm ${si.signatureAlgorithm}`) : verified ? ok('signature value verifies') : failed('the signature value does not verify');
  } else {
    report.checks.integrity = unknown('CMS without signed attributes');
    report.checks.signature = unknown('CMS without signed attributes');
  }

  // ---- signing certificate attribute
  const ess = essCertId(si.attrs, signer);
  if (ess === 'match-v2') report.checks.signingCertificate = ok('signing-certificate-v2 matches');
  else if (ess === 'match-v1') report.checks.signingCertificate = ok('signing-certificate (v1) matches');
  else if (ess === 'mismatch') report.checks.signingCertificate = failed('the signing-certificate attribute names another certificate');
  else if (ess === 'malformed') report.checks.signingCertificate = failed('malformed signing-certificate attribute');
  else report.checks.signingCertificate = unknown('no signing-certificate attribute (not PAdES baseline)');

  // ---- time
  const ts = checkTimestamp(si, options.trust, now);
  report.checks.timestamp = ts.check.state === 'absent' ? ok('no timestamp (PAdES B-B)') : ts.check;
  if (ts.time && ts.tsa) report.timestamp = { time: vnIso(ts.time), tsa: nameOf(ts.tsa.subject), serial: ts.serial ?? '', trusted: ts.trusted === true };
  const m = found.sig.get('M');
  const claimedTime = m instanceof PdfString ? parsePdfDate(m.text()) : undefined;
  const signingTimeAttr = si.attrs.get(OID.signingTime)?.[0];
  const claimed = signingTimeAttr ? timeToDate(signingTimeAttr.tag === 0x31 ? (children(signingTimeAttr)[0] as never) : signingTimeAttr) : claimedTime;
  const trustedTime = ts.check.state === 'ok' && ts.time !== undefined;
  const at = (trustedTime ? ts.time : claimed) ?? now;
  report.signingTime = vnIso(at);
  report.signingTimeSource = trustedTime ? 'timestamp' : 'claimed';

  // ---- chain
  const chain = buildChain(signer, certs, options.trust);
  report.checks.chain = chain.trusted ? ok(chain.message) : unknown(chain.message);

  // ---- validity
  const outside = chain.chain.find((cp) => at < cp.notBefore || at > cp.notAfter);
  if (outside) report.checks.validity = failed(`certificate "${nameOf(outside.subject)}" was not valid at the signing time ${vnIso(at)}`);
  else if (!trustedTime && chain.chain.some((cp) => now > cp.notAfter)) report.checks.validity = unknown('the certificate has expired since and there is no timestamp to prove the signing time');
  else report.checks.validity = ok(`valid at ${vnIso(at)}`);

  // ---- key usage
  const ku = keyUsage(signer);
  if (ku === undefined) report.checks.keyUsage = ok('no key usage restriction');
  else if (ku.includes('digitalSignature') || ku.includes('nonRepudiation')) report.checks.keyUsage = ok(ku.join(', '));
  else report.checks.keyUsage = failed(`the key is not for signing (${ku.join(', ')})`);

  // ---- revocation
  if (options.ocsp) report.ocsp = [];
  report.checks.revocation = !chain.trusted
    ? unknown('revocation not checked: chain not trusted')
    : options.ocsp
      ? await checkRevocationOnline(chain.chain, options.trust, at, trustedTime, now, options.ocsp, report.ocsp ?? [])
      : checkRevocation(chain.chain, options.trust, at, trustedTime, now);

  // ---- modifications after this signature
  const later = all.filter((s) => signedEnd(s) > end);
  const changes = changesAfter(file, end, later);
  report.changesAfter = changes.changes.filter((x) => x.kind !== 'new-object').map((x) => ({ kind: x.kind, allowed: x.allowed, why: x.why }));
  if (!changes.allowed) report.checks.modifications = failed(`changed after signing: ${changes.changes.filter((x) => !x.allowed).map((x) => x.why).join('; ')}`);
  else if (report.coversWholeDocument) report.checks.modifications = ok('covers the whole document');
  else {
    const kinds = [...new Set(changes.changes.map((x) => x.kind).filter((k) => k !== 'new-object'))];
    report.checks.modifications = ok(`later changes are allowed ones: ${kinds.join(', ') || 'none'}`);
  }
  return finish();
}

export async function verifyPdf(path: string, options: VerifyOptions): Promise<VerifyReport> {
  const file = PdfFile.open(path);
  try {
    const found = findSignatures(file);
    const signatures: SignatureReport[] = [];
    for (const [i, s] of found.entries()) signatures.push(await verifyOne(file, s, i + 1, found, options));
    return { file: path, size: file.size, signatures };
  } finally {
    file.close();
  }
}
