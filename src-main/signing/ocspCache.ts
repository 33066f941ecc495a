/**
 * Kept OCSP answers, one file per certificate under `<dataDir>/signing/ocsp/`, shared by
 * `vanthu verify --ocsp` and the app's "check online". The key is the issuer (name and
 * public key) and the certificate's serial, whatever CertID hash was asked. A file holds
 * the responder's DER bytes and what we asked (hash, nonce, when), so that ocsp.ts can
 * check a kept answer again when it reads it: a file that does not check out is dropped,
 * never believed.
 *
 * How long: a 'good' answer until its nextUpdate, or maxAgeMs (default 24 h) after its
 * thisUpdate when it has none; a 'revoked' answer for good (a revocation is final), except
 * certificateHold, which may be lifted and is kept like a 'good' one. 'unknown' answers
 * and failures are never written (ocsp.ts).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bodyOf, children, readNode, type CertParts } from './der.js';

export interface StoredOcsp {
  /** the OCSPResponse as the responder sent it */
  der: Buffer;
  /** the nonce extension value we sent (the answer must echo it) */
  nonceValue?: Buffer;
  hash: 'sha1' | 'sha256';
  receivedAt: Date;
  /** null: kept for good (revoked) */
  keepUntil: Date | null;
}

export interface OcspCache {
  read(key: string): StoredOcsp | undefined;
  write(key: string, entry: StoredOcsp): void;
  remove(key: string): void;
}

/** CRL reason certificateHold: a suspension, not a final revocation. */
const CERTIFICATE_HOLD = 6;
const dayMs = 24 * 3600_000;

/** The cache key: SHA-256 over the issuer's name, the issuer's public key and the serial (hex). */
export function ocspCacheKey(cert: CertParts, issuer: CertParts): string {
  const keyBits = children(readNode(issuer.spki))[1];
  const h = crypto.createHash('sha256');
  h.update(cert.issuer);
  h.update(keyBits ? bodyOf(keyBits) : issuer.spki);
  h.update(cert.serialDer);
  return h.digest('hex');
}

/** How long an accepted answer is kept: see the module comment. */
export function keepUntil(answer: { status: 'good' | 'revoked'; thisUpdate: Date; nextUpdate?: Date; reason?: number }, maxAgeMs = dayMs): Date | null {
  if (answer.status === 'revoked' && answer.reason !== CERTIFICATE_HOLD) return null;
  return answer.nextUpdate ?? new Date(answer.thisUpdate.getTime() + Math.min(maxAgeMs, dayMs));
}

interface FileEntry {
  v: 1;
  der: string;
  nonce: string | null;
  hash: 'sha1' | 'sha256';
  receivedAt: string;
  keepUntil: string | null;
}

function parseEntry(text: string): StoredOcsp | undefined {
  const e = JSON.parse(text) as Partial<FileEntry>;
  if (e.v !== 1 || typeof e.der !== 'string' || (e.hash !== 'sha1' && e.hash !== 'sha256') || typeof e.receivedAt !== 'string') return undefined;
  const receivedAt = new Date(e.receivedAt);
  const until = typeof e.keepUntil === 'string' ? new Date(e.keepUntil) : null;
  if (Number.isNaN(receivedAt.getTime()) || (until && Number.isNaN(until.getTime()))) return undefined;
  return {
    der: Buffer.from(e.der, 'base64'),
    ...(typeof e.nonce === 'string' ? { nonceValue: Buffer.from(e.nonce, 'base64') } : {}),
    hash: e.hash,
    receivedAt,
    keepUntil: until,
  };
}

/**
 * The cache as files in `dir` (made on first write). Writes go to a temporary name and
 * are renamed, so the CLI and the app may share it; beyond maxEntries files the oldest go.
 */
export function ocspFileCache(dir: string, options: { maxEntries?: number } = {}): OcspCache {
  const maxEntries = options.maxEntries ?? 2000;
  const fileOf = (key: string): string => {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error('bad OCSP cache key');
    return path.join(dir, `${key}.json`);
  };
  const remove = (key: string): void => fs.rmSync(fileOf(key), { force: true });
  const prune = (): void => {
    const names = fs.readdirSync(dir).filter((n) => n.endsWith('.json'));
    if (names.length <= maxEntries) return;
    const aged = names.flatMap((n) => {
      try {
        return [{ n, t: fs.statSync(path.join(dir, n)).mtimeMs }];
      } catch {
        return [];
      }
    });
    aged.sort((a, b) => a.t - b.t);
    for (const { n } of aged.slice(0, aged.length - maxEntries)) fs.rmSync(path.join(dir, n), { force: true });
  };
  return {
    read(key) {
      let text: string;
      try {
        text = fs.readFileSync(fileOf(key), 'utf8');
      } catch {
        return undefined;
      }
      try {
        const entry = parseEntry(text);
        if (entry) return entry;
      } catch {
        // not JSON: dropped below
      }
      remove(key);
      return undefined;
    },
    write(key, entry) {
      const file = fileOf(key);
      fs.mkdirSync(dir, { recursive: true });
      const record: FileEntry = {
        v: 1,
        der: entry.der.toString('base64'),
        nonce: entry.nonceValue ? entry.nonceValue.toString('base64') : null,
        hash: entry.hash,
        receivedAt: entry.receivedAt.toISOString(),
        keepUntil: entry.keepUntil ? entry.keepUntil.toISOString() : null,
      };
      const temp = `${file}.${crypto.randomBytes(6).toString('hex')}.tmp`;
      fs.writeFileSync(temp, JSON.stringify(record));
      fs.renameSync(temp, file);
      prune();
    },
    remove,
  };
}

/** `<dataDir>/signing/ocsp` */
export function ocspCacheDir(dataDir: string): string {
  return path.join(dataDir, 'signing', 'ocsp');
}
