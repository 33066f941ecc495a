/**
 * Trust store and revocation cache. Anchors and intermediates are read from
 * directories of certificate files (PEM or DER: .pem .crt .cer .der); CRLs from
 * .crl / .crl.pem files. The app ships assets/trust/ (see its README: which
 * roots, their SHA-256 fingerprints, how an administrator adds them) and looks
 * in `<dataDir>/signing/trust/` and `<dataDir>/signing/crl/` for what the
 * administrator adds or the app caches. Nothing is fetched at verification time.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { certParts, children, bodyOf, bytesOf, readNode, timeToDate, oidToString, pemToDer, type CertParts } from './der.js';

export interface Crl {
  der: Buffer;
  tbs: Buffer;
  issuer: Buffer;
  thisUpdate: Date;
  nextUpdate?: Date;
  revoked: Map<string, Date>; // serial hex → revocation date
  signatureAlgorithm: string;
  signature: Buffer;
  source: string;
}

export interface TrustStore {
  anchors: CertParts[];
  intermediates: CertParts[];
  crls: Crl[];
}

export function emptyTrustStore(): TrustStore {
  return { anchors: [], intermediates: [], crls: [] };
}

function readDerOrPem(file: string): Buffer[] {
  const raw = fs.readFileSync(file);
  const text = raw.toString('latin1');
  if (text.includes('-----BEGIN')) return pemToDer(text);
  return [raw];
}

export function parseCrl(der: Buffer, source = ''): Crl {
  const top = readNode(der);
  const [tbsNode, algNode, sigNode] = children(top);
  if (!tbsNode || !algNode || !sigNode) throw new Error('bad CRL');
  const f = children(tbsNode);
  let i = 0;
  if (f[0]?.tag === 0x02) i = 1;
  const issuer = f[i + 1];
  const thisUpdate = f[i + 2];
  if (!issuer || !thisUpdate) throw new Error('bad CRL');
  let j = i + 3;
  let nextUpdate: Date | undefined;
  if (f[j] && (f[j]?.tag === 0x17 || f[j]?.tag === 0x18)) nextUpdate = timeToDate(f[j++] as never);
  const revoked = new Map<string, Date>();
  if (f[j]?.tag === 0x30) {
    for (const entry of children(f[j] as never)) {
      const [serial, date] = children(entry);
      if (serial && date) revoked.set(bodyOf(serial).toString('hex'), timeToDate(date));
    }
  }
  const sigAlg = children(algNode)[0];
  return {
    der,
    tbs: Buffer.from(bytesOf(tbsNode)),
    issuer: Buffer.from(bytesOf(issuer)),
    thisUpdate: timeToDate(thisUpdate),
    nextUpdate,
    revoked,
    signatureAlgorithm: sigAlg ? oidToString(sigAlg) : '',
    signature: Buffer.from(bodyOf(sigNode).subarray(1)),
    source,
  };
}

function listFiles(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(dir, e.name));
  } catch {
    return [];
  }
}

/**
 * A cheap stamp of the trust sources — each file's path, size and modification time, no
 * parsing: it changes when an administrator adds, replaces or removes a root, an
 * intermediate or a CRL, so a caller can skip loading a store that cannot have changed.
 */
export function trustSourcesStamp(sources: { certs?: string[]; crls?: string[] }): string {
  const lines: string[] = [];
  for (const [kind, list] of [['c', sources.certs ?? []], ['r', sources.crls ?? []]] as const) {
    for (const file of list.flatMap(expandSource)) {
      try {
        const st = fs.statSync(file);
        lines.push(`${kind}\t${file}\t${st.size}\t${st.mtimeMs}`);
      } catch {
        lines.push(`${kind}\t${file}\tgone`);
      }
    }
  }
  return crypto.createHash('sha256').update(lines.sort().join('\n')).digest('hex');
}

function expandSource(p: string): string[] {
  return fs.existsSync(p) && fs.statSync(p).isDirectory() ? listFiles(p) : fs.existsSync(p) ? [p] : [];
}

/** Loads certificates (self-signed → anchors) and CRLs from the given directories or files. */
export function loadTrustStore(sources: { certs?: string[]; crls?: string[] }): TrustStore {
  const store = emptyTrustStore();
  const seen = new Set<string>();
  for (const file of (sources.certs ?? []).flatMap(expandSource)) {
    if (!/\.(pem|crt|cer|der)$/i.test(file)) continue;
    for (const der of readDerOrPem(file)) {
      try {
        const parts = certParts(der);
        const key = crypto.createHash('sha256').update(parts.der).digest('hex');
        if (seen.has(key)) continue;
        seen.add(key);
        if (parts.issuer.equals(parts.subject)) store.anchors.push(parts);
        else store.intermediates.push(parts);
      } catch {
        // not a certificate: skip
      }
    }
  }
  for (const file of (sources.crls ?? []).flatMap(expandSource)) {
    if (!/\.(crl|pem|der)$/i.test(file)) continue;
    for (const der of readDerOrPem(file)) {
      try {
        store.crls.push(parseCrl(der, file));
      } catch {
        // not a CRL: skip
      }
    }
  }
  return store;
}

/** The app's trust sources: the bundled folder plus the administrator's folders in the data dir. */
export function defaultTrustSources(options: { bundled?: string; dataDir?: string }): { certs: string[]; crls: string[] } {
  const certs: string[] = [];
  const crls: string[] = [];
  if (options.bundled) certs.push(options.bundled);
  if (options.dataDir) {
    certs.push(path.join(options.dataDir, 'signing', 'trust'));
    crls.push(path.join(options.dataDir, 'signing', 'crl'));
  }
  return { certs, crls };
}

export function sha256Fingerprint(der: Buffer): string {
  return crypto.createHash('sha256').update(der).digest('hex');
}
