/**
 * CMS SignedData for PAdES (ETSI.CAdES.detached), built from raw DER so that
 * certificates and names go in byte for byte (UTF8String Vietnamese names
 * included). Signed attributes: content-type, message-digest, ESS
 * signing-certificate-v2 (PAdES B-B; no signing-time attribute — /M carries it).
 * Optional unsigned attribute: an RFC 3161 signature timestamp (B-T).
 */
import crypto from 'node:crypto';
import { AppError } from '../api/errors.js';
import {
  bodyOf,
  bytesOf,
  certParts,
  children,
  ctx,
  int,
  nullDer,
  octets,
  oid,
  oidToString,
  readNode,
  seq,
  set,
  setOf,
  tlv,
  type Node,
} from './der.js';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  sha384WithRSA: '1.2.840.113549.1.1.12',
  sha512WithRSA: '1.2.840.113549.1.1.13',
  sha1WithRSA: '1.2.840.113549.1.1.5',
  rsaPss: '1.2.840.113549.1.1.10',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  ecdsaSha384: '1.2.840.10045.4.3.3',
  ecdsaSha512: '1.2.840.10045.4.3.4',
} as const;

export const hashNames: Record<string, string> = {
  [OID.sha1]: 'sha1',
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
};

export type KeyType = 'rsa' | 'ec';

/** SHA-256 DigestInfo prefix for CKM_RSA_PKCS (RFC 8017 §9.2 note 1). */
export const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

const algId = (o: string, withNull = false): Buffer => (withNull ? seq(oid(o), nullDer()) : seq(oid(o)));

function attribute(type: string, ...values: Buffer[]): Buffer {
  return seq(oid(type), set(...values));
}

/** The DER SET of signed attributes — what the token signs. */
export function signedAttributes(contentDigest: Buffer, certificateDer: Buffer): Buffer {
  const cert = certParts(certificateDer);
  const certHash = crypto.createHash('sha256').update(cert.der).digest();
  // ESSCertIDv2 { hashAlgorithm DEFAULT sha256 (omitted), certHash, issuerSerial { issuer GeneralNames [4] Name, serial } }
  const issuerSerial = seq(seq(tlv(0xa4, cert.issuer)), cert.serialDer);
  const signingCertificateV2 = seq(seq(seq(octets(certHash), issuerSerial)));
  return setOf(
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octets(contentDigest)),
    attribute(OID.signingCertificateV2, signingCertificateV2),
  );
}

/** Raw r‖s (PKCS#11 CKM_ECDSA output) → DER ECDSA-Sig-Value. */
export function ecdsaRawToDer(raw: Buffer): Buffer {
  const half = raw.length / 2;
  const trim = (b: Buffer): Buffer => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i += 1;
    const t = b.subarray(i);
    return (t[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), t]) : t;
  };
  return seq(int(trim(raw.subarray(0, half))), int(trim(raw.subarray(half))));
}

export interface SignedDataInput {
  signedAttrs: Buffer; // the SET (tag 0x31) as signed
  signature: Buffer; // RSA PKCS#1 v1.5, or DER ECDSA-Sig-Value
  certificate: Buffer;
  chain: Buffer[]; // issuing CAs (root optional)
  keyType: KeyType;
  timestampToken?: Buffer; // ContentInfo of an RFC 3161 TimeStampToken
}

export function signedData(input: SignedDataInput): Buffer {
  const cert = certParts(input.certificate);
  const sid = seq(cert.issuer, cert.serialDer);
  const signedAttrsImplicit = Buffer.concat([Buffer.from([0xa0]), input.signedAttrs.subarray(1)]);
  const sigAlg = input.keyType === 'ec' ? algId(OID.ecdsaSha256) : algId(OID.rsaEncryption, true);
  const signerInfoParts = [int(1), sid, algId(OID.sha256, true), signedAttrsImplicit, sigAlg, octets(input.signature)];
  if (input.timestampToken) signerInfoParts.push(ctx(1, attribute(OID.timeStampToken, input.timestampToken)));
  const signerInfo = seq(...signerInfoParts);
  const seen = new Set<string>();
  const certs: Buffer[] = [];
  for (const c of [input.certificate, ...input.chain]) {
    const key = c.toString('base64');
    if (!seen.has(key)) {
      seen.add(key);
      certs.push(c);
    }
  }
  const sd = seq(int(1), set(algId(OID.sha256, true)), seq(oid(OID.data)), ctx(0, ...certs), set(signerInfo));
  return seq(oid(OID.signedData), ctx(0, sd));
}

// ------------------------------------------------------------------ parsing

export interface ParsedSignerInfo {
  issuer: Buffer;
  serial: Buffer;
  subjectKeyId?: Buffer;
  digestAlgorithm: string;
  signedAttrs?: Buffer; // re-tagged as SET (0x31) for verification
  attrs: Map<string, Node[]>; // signed attribute values by OID
  signatureAlgorithm: string;
  signatureAlgorithmParams?: Buffer;
  signature: Buffer;
  unsignedAttrs: Map<string, Node[]>;
}

export interface ParsedSignedData {
  contentType: string;
  content?: Buffer; // encapsulated content when not detached (timestamp tokens)
  certificates: Buffer[];
  signerInfos: ParsedSignerInfo[];
}

function attrMap(node: Node): Map<string, Node[]> {
  const map = new Map<string, Node[]>();
  for (const a of children(node)) {
    const [type, values] = children(a);
    if (!type || !values) continue;
    map.set(oidToString(type), children(values));
  }
  return map;
}

/** Parses a ContentInfo(SignedData). Trailing zero padding (PDF /Contents) is ignored. */
export function parseSignedData(der: Buffer): ParsedSignedData {
  const top = readNode(der);
  const [ctype, wrapped] = children(top);
  if (!ctype || oidToString(ctype) !== OID.signedData || !wrapped) throw new AppError('INVALID_INPUT', 'Not a CMS SignedData', { reason: 'CMS_NOT_SIGNED_DATA' });
  const sd = children(wrapped)[0];
  if (!sd) throw new AppError('INVALID_INPUT', 'Empty SignedData', { reason: 'CMS_MALFORMED' });
  const parts = children(sd);
  const encap = parts[2];
  if (!encap) throw new AppError('INVALID_INPUT', 'SignedData without content info', { reason: 'CMS_MALFORMED' });
  const [eType, eContent] = children(encap);
  let content: Buffer | undefined;
  if (eContent) {
    const inner = children(eContent)[0];
    if (inner) content = inner.tag === 0x04 ? Buffer.from(bodyOf(inner)) : Buffer.concat(children(inner).map((c) => Buffer.from(bodyOf(c))));
  }
  const certificates: Buffer[] = [];
  let signerSet: Node | undefined;
  for (const p of parts.slice(3)) {
    if (p.tag === 0xa0) for (const c of children(p)) if (c.tag === 0x30) certificates.push(Buffer.from(bytesOf(c)));
    if (p.tag === 0x31) signerSet = p;
  }
  const signerInfos: ParsedSignerInfo[] = [];
  for (const si of signerSet ? children(signerSet) : []) {
    const f = children(si);
    const sid = f[1];
    if (!sid) continue;
    let issuer = Buffer.alloc(0);
    let serial = Buffer.alloc(0);
    let subjectKeyId: Buffer | undefined;
    if (sid.tag === 0x30) {
      const [iss, ser] = children(sid);
      if (iss && ser) {
        issuer = Buffer.from(bytesOf(iss));
        serial = Buffer.from(bodyOf(ser));
      }
    } else if (sid.tag === 0x80) subjectKeyId = Buffer.from(bodyOf(sid));
    let i = 2;
    const digestAlgorithm = oidToString(children(f[i++] as Node)[0] as Node);
    let signedAttrs: Buffer | undefined;
    let attrs = new Map<string, Node[]>();
    if (f[i]?.tag === 0xa0) {
      const node = f[i++] as Node;
      signedAttrs = Buffer.from(bytesOf(node));
      signedAttrs[0] = 0x31;
      attrs = attrMap(node);
    }
    const algParts = children(f[i++] as Node);
    const signatureAlgorithm = oidToString(algParts[0] as Node);
    const signatureAlgorithmParams = algParts[1] && algParts[1].tag !== 0x05 ? Buffer.from(bytesOf(algParts[1])) : undefined;
    const signature = Buffer.from(bodyOf(f[i++] as Node));
    const unsignedAttrs = f[i]?.tag === 0xa1 ? attrMap(f[i] as Node) : new Map<string, Node[]>();
    signerInfos.push({ issuer, serial, subjectKeyId, digestAlgorithm, signedAttrs, attrs, signatureAlgorithm, signatureAlgorithmParams, signature, unsignedAttrs });
  }
  return { contentType: eType ? oidToString(eType) : '', content, certificates, signerInfos };
}
