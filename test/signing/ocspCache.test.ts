/**
 * The OCSP answer cache (signing/ocspCache.ts) against a real responder on 127.0.0.1
 * (`openssl ocsp`, answers valid one day): a 'good' answer is used again — with the
 * responder stopped — until its nextUpdate and not after; without nextUpdate for 24 h; a
 * 'revoked' answer for good; an 'unknown' one never; a kept file that does not check out
 * is dropped and the responder asked. `vanthu verify --ocsp --data-dir` keeps its answers
 * in `<data-dir>/signing/ocsp`. Only the root CRL is loaded: the signer's status is OCSP's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCommand } from '../../src-main/cli/signCommands.js';
import { ocspCacheDir, ocspFileCache, type OcspCache } from '../../src-main/signing/ocspCache.js';
import { loadTrustStore } from '../../src-main/signing/trust.js';
import { verifyPdf, type SignatureReport } from '../../src-main/signing/verify.js';
import { chromiumPdf, makePki, tempDir, type Pki } from './helpers.js';
import { signedBy, startOcspResponder, type TestOcspResponder } from './ocspFixtures.js';

let pki: Pki;
let dir: string;
let good: string;
let revoked: string;
const responders: TestOcspResponder[] = [];

beforeAll(async () => {
  pki = makePki();
  dir = tempDir();
  const source = chromiumPdf(dir, 1);
  good = await signedBy(pki, 'nguyenvana', source, dir);
  revoked = await signedBy(pki, 'revoked', source, dir);
}, 60_000);
afterAll(async () => {
  for (const r of responders) await r.close();
  fs.rmSync(pki.dir, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

async function responder(): Promise<TestOcspResponder> {
  const r = await startOcspResponder(pki);
  responders.push(r);
  return r;
}

/** The signer's signature verified online with this cache, the responder at `url`, at `now`. */
async function check(file: string, url: string, cache: OcspCache, now?: Date): Promise<SignatureReport> {
  const trust = loadTrustStore({ certs: [pki.ca.root], crls: [pki.ca.rootCrl] });
  const report = await verifyPdf(file, { trust, ...(now ? { now } : {}), ocsp: { url, timeoutMs: 5000, cache } });
  const s = report.signatures[0];
  if (!s) throw new Error('no signature');
  return s;
}

function cacheFiles(cacheDir: string): string[] {
  return fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir) : [];
}

const minute = 60_000;
const hour = 60 * minute;

describe('OCSP answer cache', () => {
  it("a 'good' answer: the next check is answered from the cache with the responder stopped, until nextUpdate and not after", async () => {
    const cacheDir = tempDir('vanthu-ocsp-cache-');
    const cache = ocspFileCache(cacheDir);
    const r = await responder();
    const first = await check(good, r.url, cache);
    expect(first.status, first.reasons.join('; ')).toBe('valid');
    const asked = first.ocsp?.[0];
    expect(asked).toMatchObject({ status: 'good', fromCache: false });
    expect(asked?.producedAt).toMatch(/\+07:00$/);
    expect(r.requests).toBe(1);
    expect(cacheFiles(cacheDir)).toHaveLength(1);
    const nextUpdate = new Date(asked?.nextUpdate ?? '');
    expect(nextUpdate.getTime() - Date.now()).toBeGreaterThan(23 * hour); // -ndays 1

    await r.close();
    const second = await check(good, r.url, cache);
    expect(second.status, second.reasons.join('; ')).toBe('valid');
    expect(second.ocsp?.[0]).toMatchObject({ status: 'good', fromCache: true, producedAt: asked?.producedAt, nextUpdate: asked?.nextUpdate });

    const justBefore = await check(good, r.url, cache, new Date(nextUpdate.getTime() - minute));
    expect(justBefore.status, justBefore.reasons.join('; ')).toBe('valid');
    expect(justBefore.ocsp?.[0]?.fromCache).toBe(true);

    // past nextUpdate the kept answer is not used (and dropped): the responder is down, so "cannot tell"
    const after = await check(good, r.url, cache, new Date(nextUpdate.getTime() + minute));
    expect(after.status).toBe('indeterminate');
    expect(after.checks.revocation.state).toBe('unknown');
    expect(after.ocsp?.[0]).toMatchObject({ status: 'unknown', fromCache: false, failure: 'unreachable' });
    expect(after.checks.revocation.message).toMatch(/OCSP: the OCSP responder http:\/\/127\.0\.0\.1:\d+ cannot be reached/);
    expect(cacheFiles(cacheDir)).toEqual([]);
  }, 60_000);

  it('an answer without nextUpdate is kept for 24 hours', async () => {
    const cacheDir = tempDir('vanthu-ocsp-cache-');
    const cache = ocspFileCache(cacheDir);
    const r = await responder();
    r.ndays = undefined;
    const start = Date.now();
    const first = await check(good, r.url, cache);
    expect(first.status, first.reasons.join('; ')).toBe('valid');
    expect(first.ocsp?.[0]?.nextUpdate).toBeUndefined();
    await r.close();
    const within = await check(good, r.url, cache, new Date(start + 23 * hour));
    expect(within.ocsp?.[0]).toMatchObject({ status: 'good', fromCache: true });
    const beyond = await check(good, r.url, cache, new Date(start + 25 * hour));
    expect(beyond.ocsp?.[0]).toMatchObject({ status: 'unknown', fromCache: false });
    expect(beyond.status).toBe('indeterminate');
  }, 60_000);

  it("a 'revoked' answer is kept past its nextUpdate", async () => {
    const cacheDir = tempDir('vanthu-ocsp-cache-');
    const cache = ocspFileCache(cacheDir);
    const r = await responder();
    const first = await check(revoked, r.url, cache);
    expect(first.status).toBe('invalid');
    expect(first.ocsp?.[0]).toMatchObject({ status: 'revoked', fromCache: false });
    await r.close();
    const later = await check(revoked, r.url, cache, new Date(Date.now() + 3 * 24 * hour));
    expect(later.status).toBe('invalid');
    expect(later.checks.revocation.message).toMatch(/was revoked on .* \(OCSP\)/);
    expect(later.ocsp?.[0]).toMatchObject({ status: 'revoked', fromCache: true, revokedAt: first.ocsp?.[0]?.revokedAt });
  }, 60_000);

  it("an 'unknown' answer is not cached: the next check asks again", async () => {
    const cacheDir = tempDir('vanthu-ocsp-cache-');
    const cache = ocspFileCache(cacheDir);
    const r = await responder();
    r.index = path.join(dir, 'empty-index.txt');
    fs.writeFileSync(r.index, ''); // a CA database that knows no certificate
    for (const n of [1, 2]) {
      const s = await check(good, r.url, cache);
      expect(s.status).toBe('indeterminate');
      expect(s.ocsp?.[0]).toMatchObject({ status: 'unknown', fromCache: false, failure: 'certUnknown' });
      expect(s.checks.revocation.message).toMatch(/OCSP: the OCSP responder does not know the certificate/);
      expect(r.requests).toBe(n);
      expect(cacheFiles(cacheDir)).toEqual([]);
    }
  }, 60_000);

  it('a kept answer that no longer checks out (bytes changed) is dropped and the responder asked', async () => {
    const cacheDir = tempDir('vanthu-ocsp-cache-');
    const cache = ocspFileCache(cacheDir);
    const r = await responder();
    await check(good, r.url, cache);
    const [name] = cacheFiles(cacheDir);
    const file = path.join(cacheDir, name ?? '');
    const entry = JSON.parse(fs.readFileSync(file, 'utf8')) as { der: string };
    const der = Buffer.from(entry.der, 'base64');
    der[der.length - 40] = (der[der.length - 40] ?? 0) ^ 0xff; // inside the responder certificate / signature
    fs.writeFileSync(file, JSON.stringify({ ...entry, der: der.toString('base64') }));
    const s = await check(good, r.url, cache);
    expect(s.status, s.reasons.join('; ')).toBe('valid');
    expect(s.ocsp?.[0]?.fromCache).toBe(false);
    expect(r.requests).toBe(2);
    fs.writeFileSync(file, 'not json');
    expect((await check(good, r.url, cache)).ocsp?.[0]?.fromCache).toBe(false);
    expect(r.requests).toBe(3);
  }, 60_000);

  it('vanthu verify --ocsp --data-dir keeps answers in <data-dir>/signing/ocsp and uses them', async () => {
    const dataDir = tempDir('vanthu-cli-ocsp-');
    const r = await responder();
    const run = async (): Promise<{ code: number; report: { signatures: SignatureReport[] } }> => {
      let out = '';
      const args = [good, '--json', '--trust', pki.ca.root, '--crl', pki.ca.rootCrl, '--ocsp', '--ocsp-url', r.url, '--data-dir', dataDir];
      const code = await verifyCommand(args, (t) => (out += t));
      return { code, report: (JSON.parse(out) as { value: { signatures: SignatureReport[] } }).value };
    };
    const first = await run();
    expect(first.code).toBe(0);
    expect(first.report.signatures[0]?.ocsp?.[0]).toMatchObject({ status: 'good', fromCache: false });
    expect(cacheFiles(ocspCacheDir(dataDir))).toHaveLength(1);
    await r.close();
    const second = await run();
    expect(second.code).toBe(0);
    expect(second.report.signatures[0]?.ocsp?.[0]).toMatchObject({ status: 'good', fromCache: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);
});
