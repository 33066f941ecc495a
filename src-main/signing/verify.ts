/**
 * Verifies every signature of a PDF: byte-range integrity, CMS signature,
 * signing-certificate binding, chain to the trust store, validity at signing time,
 * key usage, revocation from cached CRLs, signature timestamp, and what changed
 * after the signature. Each check is ok / failed / unknown, and a signature is
 * valid (all ok), invalid (any failed) or indeterminate ("cannot tell", with why):
 * revocation unknown while offline is not "invalid".
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { OID, hashNames, parseSignedData, type ParsedSignerInfo } from './cms.js';
import { changesAfter, findSignatures, signedEnd, type Change, type FoundSignature } from './changes.js';
import { bodyOf, certParts, children, keyUsage, nameToString, oidToString, readNode, timeToDate, type CertParts } from './der.js';
import { PdfString } from './pdf/objects.js';
import { PdfFile } from './pdf/reader.js';
import { parsePdfDate, vnIso } from './time.js';
import type { Crl, TrustStore } from './trust.js';

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
  subFilter?: string;
  byteRange: number[];
  coversWholeDocument: boolean;
  changesAfter: { kind: Change['kind']; allowed: boolean; why: string }[];
  pageIndex?: number;
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

export interface VerifyReport {
  file: string;
  size: number;
  signatures: SignatureReport[];
}

export interface VerifyOptions {
  trust: TrustStore;
  /** "now" for tests */
  now?: Date;
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

const keyCache = new WeakMap<CertParts, crypto.KeyObject>();
function publicKey(cert: CertParts): crypto.KeyObject {
  let key = keyCache.get(cert);
  if (!key) {
    key = crypto.createPublicKey({ key: cert.spki, format: 'der', type: 'spki' });
    keyCache.set(cert, key);
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

/** Results of signature checks on certificates and CRLs (the same CAs over and over). */
const signedByCache = new Map<string, boolean>();
function cached(key: string, compute: () => boolean): boolean {
  const hit = signedByCache.get(key);
  if (hit !== undefined) return hit;
  const value = compute();
  if (signedByCache.size > 5000) signedByCache.clear();
  signedByCache.set(key, value);
  return value;
}

function certSignedBy(cert: CertParts, issuer: CertParts): boolean {
  if (!cert.issuer.equals(issuer.subject)) return false;
  return cached(`c${cert.signature.toString('base64')}|${issuer.spki.toString('base64')}`, () => certSignedByUncached(cert, issuer));
}

function certSignedByUncached(cert: CertParts, issuer: CertParts): boolean {
  const algNode = children(readNode(cert.der))[1];
  const params = algNode ? children(algNode)[1] : undefined;
  const r = verifyWith(cert.signatureAlgorithm, params && params.tag !== 0x05 ? Buffer.from(params.buf.subarray(params.start, params.end)) : undefined, undefined, cert.tbs, issuer, cert.signature);
  return r === true;
}

async function hashRanges(file: string, ranges: [number, number][], algorithm: string): Promise<Buffer> {
  const hash = crypto.createHash(algorithm);
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (const [start, length] of ranges) {
      let done = 0;
      while (done < length) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, length - done), start + done);
        if (bytesRead === 0) break;
        hash.update(buf.subarray(0, bytesRead));
        done += bytesRead;
      }
    }
  } finally {
    await fh.close();
  }
  return hash.digest();
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
      return { chain, trusted: true, message: `chains to trusted root "${nameToString(anchor.subject)}"` };
    }
    if (cur.issuer.equals(cur.subject)) return { chain, trusted: false, message: `self-signed certificate "${nameToString(cur.subject)}" is not in the trust store` };
    const next = [...pool, ...trust.intermediates].find((c) => !chain.some((x) => x.der.equals(c.der)) && certSignedBy(cur, c));
    if (!next) return { chain, trusted: false, message: `issuer "${nameToString(cur.issuer)}" not found or not trusted` };
    chain.push(next);
    cur = next;
  }
  return { chain, trusted: false, message: 'certificate chain too long' };
}

function checkRevocation(chain: CertParts[], trust: TrustStore, at: Date, trustedTime: boolean, now: Date): Check {
  // every certificate but the anchor
  const unknown: string[] = [];
  for (let i = 0; i < chain.length - 1; i += 1) {
    const cert = chain[i] as CertParts;
    const issuer = chain[i + 1] as CertParts;
    const crls = trust.crls.filter((c) => c.issuer.equals(cert.issuer) && crlSignedBy(c, issuer));
    const fresh = crls.filter((c) => !c.nextUpdate || c.nextUpdate >= now).sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime());
    const crl = fresh[0] ?? crls.sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime())[0];
    if (!crl) {
      unknown.push(`no CRL cached for "${nameToString(cert.subject)}"`);
      continue;
    }
    const revokedAt = crl.revoked.get(cert.serial.toString('hex'));
    if (revokedAt) {
      if (!trustedTime || revokedAt <= at) return { state: 'failed', message: `certificate "${nameToString(cert.subject)}" was revoked on ${vnIso(revokedAt)}` };
    }
    if (!fresh[0]) unknown.push(`CRL for "${nameToString(cert.subject)}" expired on ${crl.nextUpdate ? vnIso(crl.nextUpdate) : '?'} (offline)`);
  }
  if (unknown.length) return { state: 'unknown', message: `revocation unknown: ${unknown.join('; ')}` };
  return { state: 'ok', message: 'not revoked (cached CRLs)' };
}

function crlSignedBy(crl: Crl, issuer: CertParts): boolean {
  return cached(`l${crl.signature.toString('base64')}|${issuer.spki.toString('base64')}`, () => verifyWith(crl.signatureAlgorithm, undefined, undefined, crl.tbs, issuer, crl.signature) === true);
}

interface TimestampResult {
  check: Check;
  time?: Date;
}

function checkTimestamp(si: ParsedSignerInfo, trust: TrustStore): TimestampResult {
  const tokens = si.unsignedAttrs.get(OID.timeStampToken);
  const token = tokens?.[0];
  if (!token) return { check: { state: 'absent', message: 'no signature timestamp' } };
  try {
    const der = Buffer.from(token.buf.subarray(token.start, token.end));
    const sd = parseSignedData(der);
    const tsi = sd.signerInfos[0];
    if (sd.contentType !== OID.tstInfo || !sd.content || !tsi) return { check: { state: 'failed', message: 'malformed timestamp token' } };
    const tst = children(readNode(sd.content));
    const imprint = tst[2];
    const genTime = tst.find((n) => n.tag === 0x18);
    if (!imprint || !genTime) return { check: { state: 'failed', message: 'malformed TSTInfo' } };
    const [alg, hashed] = children(imprint);
    const hashName = alg ? hashNames[oidToString(children(alg)[0] ?? alg)] : undefined;
    if (!hashName || !hashed) return { check: { state: 'failed', message: 'unsupported timestamp hash' } };
    const expected = crypto.createHash(hashName).update(si.signature).digest();
    if (!expected.equals(bodyOf(hashed))) return { check: { state: 'failed', message: 'timestamp does not cover this signature' } };
    const certs = sd.certificates.map((c) => certParts(c));
    const tsaCert = certs.find((c) => c.issuer.equals(tsi.issuer) && c.serial.equals(tsi.serial));
    if (!tsaCert) return { check: { state: 'unknown', message: 'TSA certificate not included' } };
    const md = tsi.attrs.get(OID.messageDigest)?.[0];
    const contentHash = crypto.createHash(hashNames[tsi.digestAlgorithm] ?? 'sha256').update(sd.content).digest();
    if (!md || !bodyOf(md).equals(contentHash) || !tsi.signedAttrs) return { check: { state: 'failed', message: 'timestamp token altered' } };
    const ok = verifyWith(tsi.signatureAlgorithm, tsi.signatureAlgorithmParams, tsi.digestAlgorithm, tsi.signedAttrs, tsaCert, tsi.signature);
    if (ok !== true) return { check: { state: 'failed', message: 'timestamp signature does not verify' } };
    const time = timeToDate(genTime);
    const chain = buildChain(tsaCert, certs, trust);
    if (!chain.trusted) return { time, check: { state: 'unknown', message: `timestamp at ${vnIso(time)}, TSA not trusted: ${chain.message}` } };
    return { time, check: { state: 'ok', message: `timestamp at ${vnIso(time)} by "${nameToString(tsaCert.subject)}"` } };
  } catch {
    return { check: { state: 'failed', message: 'unreadable timestamp token' } };
  }
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
      return [certParts(der)];
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
    subject: nameToString(signer.subject),
    commonName: nameToString(signer.subject).split(', ').find((p) => p.startsWith('CN='))?.slice(3),
    issuer: nameToString(signer.issuer),
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
  const digest = await hashRanges(file.path, [[a, b], [c, d]], hashName);
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
  const scv2 = si.attrs.get(OID.signingCertificateV2)?.[0];
  if (scv2) {
    try {
      const first = children(children(scv2)[0] ?? scv2)[0];
      const parts = first ? children(first) : [];
      const hasAlg = parts[0]?.tag === 0x30;
      const alg = hasAlg ? hashNames[oidToString(children(parts[0] as never)[0] as never)] ?? 'sha256' : 'sha256';
      const certHash = parts[hasAlg ? 1 : 0];
      const matches = certHash && crypto.createHash(alg).update(signer.der).digest().equals(bodyOf(certHash));
      report.checks.signingCertificate = matches ? ok('signing-certificate-v2 matches') : failed('signing-certificate-v2 names another certificate');
    } catch {
      report.checks.signingCertificate = failed('malformed signing-certificate-v2');
    }
  } else if (si.attrs.get(OID.signingCertificate)) {
    report.checks.signingCertificate = ok('signing-certificate (v1) present');
  } else {
    report.checks.signingCertificate = unknown('no signing-certificate attribute (not PAdES baseline)');
  }

  // ---- time
  const ts = checkTimestamp(si, options.trust);
  report.checks.timestamp = ts.check.state === 'absent' ? ok('no timestamp (PAdES B-B)') : ts.check;
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
  if (outside) report.checks.validity = failed(`certificate "${nameToString(outside.subject)}" was not valid at the signing time ${vnIso(at)}`);
  else if (!trustedTime && chain.chain.some((cp) => now > cp.notAfter)) report.checks.validity = unknown('the certificate has expired since and there is no timestamp to prove the signing time');
  else report.checks.validity = ok(`valid at ${vnIso(at)}`);

  // ---- key usage
  const ku = keyUsage(signer);
  if (ku === undefined) report.checks.keyUsage = ok('no key usage restriction');
  else if (ku.includes('digitalSignature') || ku.includes('nonRepudiation')) report.checks.keyUsage = ok(ku.join(', '));
  else report.checks.keyUsage = failed(`the key is not for signing (${ku.join(', ')})`);

  // ---- revocation
  report.checks.revocation = chain.trusted ? checkRevocation(chain.chain, options.trust, at, trustedTime, now) : unknown('revocation not checked: chain not trusted');

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
