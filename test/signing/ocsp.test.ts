/**
 * Online revocation over OCSP against a real responder on 127.0.0.1: each POSTed
 * request is answered by `openssl ocsp -index … -rsigner … -reqin … -respout …`
 * with the test PKI's delegated responder (EKU OCSPSigning, issued by the issuing
 * CA). Only the root CRL is loaded, so the signer's status is OCSP's to tell: good
 * → valid, revoked → invalid, no responder → cannot tell, and an answer about
 * another certificate, with another nonce, or signed by a stranger → refused
 * (cannot tell, never valid). Without the `ocsp` option nothing goes online.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certParts, pemToDer } from '../../src-main/signing/der.js';
import { certId, ocspRequest, ocspUrls, readOcspResponse } from '../../src-main/signing/ocsp.js';
import { loadTrustStore } from '../../src-main/signing/trust.js';
import { verifyPdf, verifyWith } from '../../src-main/signing/verify.js';
import { chromiumPdf, closedPort, keyOf, makePki, tempDir, type Pki } from './helpers.js';
import { signedBy, startOcspResponder, type TestOcspResponder } from './ocspFixtures.js';

let pki: Pki;
let dir: string;
let source: string;
let responder: TestOcspResponder;
const signed: Record<string, string> = {};

/** The root and its CRL; no CRL for the issuing CA's people: their status is OCSP's to tell. */
function trust(withIssuingCrl = false) {
  return loadTrustStore({ certs: [pki.ca.root], crls: [pki.ca.rootCrl, ...(withIssuingCrl ? [pki.ca.issuingCrl] : [])] });
}

function cert(file: string) {
  return certParts(pemToDer(fs.readFileSync(file, 'utf8'))[0] as Buffer);
}

beforeAll(async () => {
  pki = makePki();
  dir = tempDir();
  source = chromiumPdf(dir, 1);
  responder = await startOcspResponder(pki);
  for (const id of ['nguyenvana', 'revoked']) signed[id] = await signedBy(pki, id, source, dir);
}, 60_000);
afterAll(async () => {
  await responder.close();
  fs.rmSync(pki.dir, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('OCSP revocation checks', () => {
  it('the test certificates name an OCSP responder in AIA (nothing answers there by default)', () => {
    expect(ocspUrls(cert(keyOf(pki, 'nguyenvana').cert))).toEqual([process.env.VANTHU_TEST_OCSP_URL ?? 'http://127.0.0.1:1/ocsp']);
    expect(ocspUrls(cert(pki.ca.issuing))).toEqual([]);
  });

  it('offline (no ocsp option): as before, no CRL → cannot tell, nothing asked', async () => {
    const before = responder.requests;
    const s = (await verifyPdf(signed.revoked as string, { trust: trust() })).signatures[0];
    expect(s?.status).toBe('indeterminate');
    expect(s?.checks.revocation).toEqual({ state: 'unknown', message: 'revocation unknown: no CRL cached for "CN=Phạm Thị Thu Hồi, O=UBND tỉnh Cao Bằng, C=VN"' });
    expect(responder.requests).toBe(before);
  });

  it('good certificate → valid, revocation ok via OCSP', async () => {
    const before = responder.requests;
    const s = (await verifyPdf(signed.nguyenvana as string, { trust: trust(), ocsp: { url: responder.url, timeoutMs: 5000 } })).signatures[0];
    expect(s?.status, s?.reasons.join('; ')).toBe('valid');
    expect(s?.checks.revocation).toEqual({ state: 'ok', message: 'not revoked (OCSP and cached CRLs)' });
    expect(responder.requests).toBe(before + 1);
  });

  it('SHA-256 CertID works too', async () => {
    const s = (await verifyPdf(signed.nguyenvana as string, { trust: trust(), ocsp: { url: responder.url, hash: 'sha256', timeoutMs: 5000 } })).signatures[0];
    expect(s?.status, s?.reasons.join('; ')).toBe('valid');
  });

  it('revoked certificate with no CRL loaded → invalid', async () => {
    const s = (await verifyPdf(signed.revoked as string, { trust: trust(), ocsp: { url: responder.url, timeoutMs: 5000 } })).signatures[0];
    expect(s?.status).toBe('invalid');
    expect(s?.checks.revocation.state).toBe('failed');
    expect(s?.checks.revocation.message).toMatch(/"CN=Phạm Thị Thu Hồi, .*" was revoked on .* \(OCSP\)/);
  });

  it('a cached CRL that decides is used without asking', async () => {
    const before = responder.requests;
    const s = (await verifyPdf(signed.revoked as string, { trust: trust(true), ocsp: { url: responder.url, timeoutMs: 5000 } })).signatures[0];
    expect(s?.status).toBe('invalid');
    expect(s?.checks.revocation.message).not.toMatch(/OCSP/);
    expect(responder.requests).toBe(before);
  });

  it('responder down (configured port closed, or the AIA default) → cannot tell, not invalid', async () => {
    const port = await closedPort();
    for (const ocsp of [{ url: `http://127.0.0.1:${port}/ocsp`, timeoutMs: 3000 }, { timeoutMs: 3000 }]) {
      const s = (await verifyPdf(signed.revoked as string, { trust: trust(), ocsp })).signatures[0];
      expect(s?.status).toBe('indeterminate');
      expect(s?.checks.revocation.state).toBe('unknown');
      expect(s?.checks.revocation.message).toMatch(/revocation unknown: no CRL cached .*; OCSP: the OCSP responder http:\/\/127\.0\.0\.1:\d+ cannot be reached/);
    }
  });

  it('an answer about another certificate → refused (cannot tell, not valid)', async () => {
    const other = path.join(dir, 'other.req');
    execFileSync('openssl', ['ocsp', '-issuer', pki.ca.issuing, '-cert', keyOf(pki, 'ubnd').cert, '-reqout', other, '-no_nonce'], { stdio: 'ignore', timeout: 10_000 });
    responder.substitute = other;
    try {
      const s = (await verifyPdf(signed.revoked as string, { trust: trust(), ocsp: { url: responder.url, timeoutMs: 5000 } })).signatures[0];
      expect(s?.status).toBe('indeterminate');
      expect(s?.checks.revocation.message).toMatch(/OCSP: the OCSP response is about another certificate/);
    } finally {
      responder.substitute = undefined;
    }
  });

  it('an answer with another nonce → refused (cannot tell, not valid)', async () => {
    const replay = path.join(dir, 'replay.req');
    execFileSync('openssl', ['ocsp', '-issuer', pki.ca.issuing, '-cert', keyOf(pki, 'nguyenvana').cert, '-reqout', replay, '-nonce'], { stdio: 'ignore', timeout: 10_000 });
    responder.substitute = replay;
    try {
      const s = (await verifyPdf(signed.nguyenvana as string, { trust: trust(), ocsp: { url: responder.url, timeoutMs: 5000 } })).signatures[0];
      expect(s?.status).toBe('indeterminate');
      expect(s?.checks.revocation.message).toMatch(/OCSP: the OCSP response does not carry our nonce/);
    } finally {
      responder.substitute = undefined;
    }
  });

  it('an answer signed by a responder the issuer did not authorise → refused', async () => {
    responder.signer = { cert: pki.ca.tsa, key: pki.ca.tsaKey };
    try {
      const s = (await verifyPdf(signed.revoked as string, { trust: trust(), ocsp: { url: responder.url, timeoutMs: 5000 } })).signatures[0];
      expect(s?.status).toBe('indeterminate');
      expect(s?.checks.revocation.message).toMatch(/not signed by the issuer or a responder it authorised/);
    } finally {
      responder.signer = undefined;
    }
  });

  it('readOcspResponse: stale answers and garbage are "unknown"', () => {
    const leaf = cert(keyOf(pki, 'nguyenvana').cert);
    const issuer = cert(pki.ca.issuing);
    const id = certId(leaf, issuer);
    const { der } = ocspRequest(id, crypto.randomBytes(16));
    const q = path.join(dir, 'unit.req');
    const r = path.join(dir, 'unit.resp');
    fs.writeFileSync(q, der);
    execFileSync('openssl', ['ocsp', '-index', pki.ca.issuingIndex, '-rsigner', pki.ca.ocsp, '-rkey', pki.ca.ocspKey, '-CA', pki.ca.issuing, '-reqin', q, '-respout', r, '-ndays', '1'], { stdio: 'ignore', timeout: 10_000 });
    const resp = fs.readFileSync(r);
    expect(readOcspResponse(resp, { certId: id, issuer, now: new Date() }, verifyWith).status).toBe('good');
    const later = new Date(Date.now() + 3 * 24 * 3600 * 1000);
    expect(readOcspResponse(resp, { certId: id, issuer, now: later }, verifyWith)).toEqual({ status: 'unknown', message: 'the OCSP response is stale' });
    expect(readOcspResponse(Buffer.from('nonsense'), { certId: id, issuer, now: new Date() }, verifyWith).status).toBe('unknown');
  });
});
