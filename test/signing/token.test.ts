/**
 * The token service against real SoftHSM2 tokens in a child process: listing,
 * RSA and EC signatures, wrong PIN (never retried), a token removed mid-way, and a
 * module that hangs (the call is abandoned, the worker restarted).
 * Through a PKCS#11 shim in front of SoftHSM2 (fixtures/shim-pkcs11.c): a token
 * without CKM_SHA256_RSA_PKCS (raw CKM_RSA_PKCS over a DigestInfo, judged by pdfsig)
 * and a token with a PIN retry counter (count low / final try / locked), which
 * SoftHSM2 itself does not keep.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src-main/api/errors.js';
import { findSignatures } from '../../src-main/signing/changes.js';
import { pemToDer } from '../../src-main/signing/der.js';
import { signPdf } from '../../src-main/signing/pades.js';
import { PdfFile } from '../../src-main/signing/pdf/reader.js';
import { TokenService, tokenSigner } from '../../src-main/signing/token/service.js';
import { loadTrustStore } from '../../src-main/signing/trust.js';
import { verifyPdf } from '../../src-main/signing/verify.js';
import { buildWorker, chromiumPdf, hangingModule, keyOf, makePki, opensslVerify, pdfsig, shimModule, tempDir, type Pki } from './helpers.js';

let pki: Pki;
let workerPath: string;
const services: TokenService[] = [];

function service(extra: Partial<ConstructorParameters<typeof TokenService>[0]> = {}): TokenService {
  const s = new TokenService({ modules: [pki.module], workerPath, env: pki.env, pollMs: 0, ...extra });
  services.push(s);
  return s;
}

beforeAll(() => {
  pki = makePki();
  workerPath = buildWorker();
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.close()));
  fs.rmSync(pki.dir, { recursive: true, force: true });
});

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a failure');
}

describe('token service', () => {
  it('lists tokens and certificates with Vietnamese names, never assuming slot 0', async () => {
    const tokens = await service().listTokens();
    const labels = tokens.map((t) => t.label).sort();
    expect(labels).toEqual(['ASCII SIGNER', 'NGUYEN VAN A', 'TRAN THI BINH EC', 'UBND CAO BANG']);
    const a = tokens.find((t) => t.label === 'NGUYEN VAN A');
    expect(a?.slot).not.toBe('0000000000000000');
    const cert = a?.certificates.find((c) => c.id === '01');
    expect(cert?.subject).toContain('CN=Nguyễn Văn A');
    expect(cert?.issuer).toContain('Ban Cơ yếu Chính phủ');
    expect(cert?.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(cert?.keyType).toBe('rsa');
    expect(cert?.keyVisible).toBe(true);
    expect(a?.certificates.length).toBe(4);
    expect(tokens.find((t) => t.label === 'TRAN THI BINH EC')?.certificates[0]?.keyType).toBe('ec');
  });

  it('signs with RSA (CKM_SHA256_RSA_PKCS) and EC P-256 keys', async () => {
    const s = service();
    const tokens = await s.listTokens();
    const data = Buffer.from('signed attributes');
    for (const id of ['nguyenvana', 'tranthibinh']) {
      const k = keyOf(pki, id);
      const token = tokens.find((t) => t.label === k.token.label);
      const r = await s.sign({ module: pki.module, tokenSerial: token?.serial ?? '', certId: k.ckaId, pin: k.token.pin, data });
      const pub = crypto.createPublicKey(fs.readFileSync(k.cert));
      expect(crypto.verify('sha256', data, pub, Buffer.from(r.signature, 'base64'))).toBe(true);
      expect(r.mechanism).toBe(id === 'tranthibinh' ? 'CKM_ECDSA' : 'CKM_SHA256_RSA_PKCS');
    }
  });

  it('SoftHSM2 itself: a wrong PIN raises only "count low" and never locks (no retry counter)', async () => {
    const s = service();
    const token = (await s.listTokens()).find((t) => t.label === 'TRAN THI BINH EC');
    for (let i = 0; i < 4; i += 1) {
      const e = await failure(s.sign({ module: pki.module, tokenSerial: token?.serial ?? '', certId: '01', pin: '999999', data: Buffer.from('x') }));
      expect((e.details as { reason: string }).reason).toBe('PIN_INCORRECT');
      expect((e.details as { pin: unknown }).pin).toMatchObject({ countLow: true, finalTry: false, locked: false });
    }
    await s.sign({ module: pki.module, tokenSerial: token?.serial ?? '', certId: '01', pin: '111111', data: Buffer.from('x') });
  });

  it('reports a wrong PIN with the token flags and does not retry it', async () => {
    const s = service();
    const token = (await s.listTokens()).find((t) => t.label === 'ASCII SIGNER');
    const e = await failure(s.sign({ module: pki.module, tokenSerial: token?.serial ?? '', certId: '01', pin: '000000', data: Buffer.from('x') }));
    expect(e.code).toBe('FORBIDDEN');
    expect((e.details as { reason: string }).reason).toBe('PIN_INCORRECT');
    expect((e.details as { pin: unknown }).pin).toBeDefined();
    expect(JSON.stringify(e)).not.toContain('000000');
    // the right PIN still works (one failure did not lock the token)
    await s.sign({ module: pki.module, tokenSerial: token?.serial ?? '', certId: '01', pin: '222222', data: Buffer.from('x') });
  });

  it('says the token is gone when it was removed (deleted) after listing', async () => {
    const s = service();
    const token = (await s.listTokens()).find((t) => t.label === 'ASCII SIGNER');
    const del = spawnSync('softhsm2-util', ['--delete-token', '--token', 'ASCII SIGNER'], { env: pki.env, stdio: 'ignore' });
    expect(del.status).toBe(0);
    const e = await failure(s.sign({ module: pki.module, tokenSerial: token?.serial ?? '', certId: '01', pin: '222222', data: Buffer.from('x') }));
    expect(e.code).toBe('NOT_FOUND');
    expect((e.details as { reason: string }).reason).toBe('TOKEN_REMOVED');
    const again = await s.listTokens({ reinitialize: true });
    expect(again.map((t) => t.label)).not.toContain('ASCII SIGNER');
  });

  it('signs through raw CKM_RSA_PKCS (SHA-256 DigestInfo) when the token lacks or refuses CKM_SHA256_RSA_PKCS; pdfsig agrees', async () => {
    const shim = shimModule();
    if (!shim) return void console.warn('no C compiler: CKM_RSA_PKCS test skipped');
    const dir = tempDir();
    const source = chromiumPdf(dir, 1);
    const k = keyOf(pki, 'nguyenvana');
    for (const mode of ['hide', 'reject']) {
      const s = service({ modules: [shim], env: { ...pki.env, VANTHU_SHIM_TARGET: pki.module, VANTHU_SHIM_MODE: mode } });
      const token = (await s.listTokens()).find((t) => t.label === k.token.label);
      expect(token?.module).toBe(shim);
      const data = Buffer.from('signed attributes');
      const r = await s.sign({ module: shim, tokenSerial: token?.serial ?? '', certId: k.ckaId, pin: k.token.pin, data });
      expect(r.mechanism).toBe('CKM_RSA_PKCS');
      expect(crypto.verify('sha256', data, crypto.createPublicKey(fs.readFileSync(k.cert)), Buffer.from(r.signature, 'base64'))).toBe(true);
      // a whole PAdES signature over the raw mechanism
      const cert = token?.certificates.find((c) => c.id === k.ckaId);
      const out = path.join(dir, `raw-${mode}.pdf`);
      await signPdf({ input: source, output: out, signer: tokenSigner(s, token!, cert!, k.token.pin, pemToDer(fs.readFileSync(pki.ca.issuing, 'utf8'))) });
      expect(pdfsig(out).signatures[0]).toMatchObject({ cn: 'Nguyễn Văn A', valid: true });
      const file = PdfFile.open(out);
      const sig = findSignatures(file)[0];
      file.close();
      const o = opensslVerify(out, sig?.byteRange ?? [], sig?.contents ?? Buffer.alloc(0), pki.ca.chain);
      expect(o.ok, o.output).toBe(true);
      const report = await verifyPdf(out, { trust: loadTrustStore({ certs: [pki.ca.root], crls: [pki.ca.issuingCrl, pki.ca.rootCrl] }) });
      expect(report.signatures[0]?.status, report.signatures[0]?.reasons.join('; ')).toBe('valid');
    }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(path.dirname(shim), { recursive: true, force: true });
  });

  it('a token that counts PIN failures: "few left", "final try", then locked — one C_Login per request, never retried', async () => {
    const shim = shimModule();
    if (!shim) return void console.warn('no C compiler: PIN counter test skipped');
    const state = path.join(path.dirname(shim), 'pin-failures');
    const s = service({ modules: [shim], env: { ...pki.env, VANTHU_SHIM_TARGET: pki.module, VANTHU_SHIM_MODE: 'pass', VANTHU_SHIM_PIN_TRIES: '3', VANTHU_SHIM_PIN_STATE: state } });
    const k = keyOf(pki, 'tranthibinh');
    const token = (await s.listTokens()).find((t) => t.label === k.token.label);
    expect(token?.pin).toMatchObject({ countLow: false, finalTry: false, locked: false });
    const attempt = (pin: string) => failure(s.sign({ module: shim, tokenSerial: token?.serial ?? '', certId: k.ckaId, pin, data: Buffer.from('x') }));
    const failures = () => Number(fs.readFileSync(state, 'utf8').trim());

    const first = await attempt('000001');
    expect(first.details).toMatchObject({ reason: 'PIN_INCORRECT', triesLeft: 'few', pin: { countLow: true, finalTry: false, locked: false } });
    expect(first.message).toMatch(/few are left/);
    expect(failures()).toBe(1); // exactly one C_Login for the request: no automatic retry

    const second = await attempt('000002');
    expect(second.details).toMatchObject({ reason: 'PIN_INCORRECT', triesLeft: 'one', pin: { finalTry: true, locked: false } });
    expect(second.message).toMatch(/One try left/);
    expect(failures()).toBe(2);
    expect((await s.listTokens()).find((t) => t.label === k.token.label)?.pin.finalTry).toBe(true);

    const third = await attempt('000003');
    expect(third.code).toBe('FORBIDDEN');
    expect(third.details).toMatchObject({ reason: 'PIN_LOCKED', pin: { locked: true } });
    expect(third.message).toMatch(/locked/);
    expect(failures()).toBe(3);

    // locked: even the right PIN is not sent to the token
    const fourth = await attempt(k.token.pin);
    expect(fourth.details).toMatchObject({ reason: 'PIN_LOCKED' });
    expect(failures()).toBe(3);
    for (const e of [first, second, third, fourth]) expect(JSON.stringify({ m: e.message, d: e.details })).not.toMatch(/00000[123]|111111/);
    expect((await s.listTokens()).find((t) => t.label === k.token.label)?.pin.locked).toBe(true);

    // unblocked (the counter reset, as a PUK would): the right PIN signs again
    fs.writeFileSync(state, '0\n');
    await s.sign({ module: shim, tokenSerial: token?.serial ?? '', certId: k.ckaId, pin: k.token.pin, data: Buffer.from('x') });
    fs.rmSync(path.dirname(shim), { recursive: true, force: true });
  });

  it('abandons a hanging module, restarts the worker and keeps working', async () => {
    const stub = hangingModule();
    if (!stub) return void console.warn('no C compiler: hanging-module test skipped');
    const s = service({ modules: [stub], callTimeoutMs: 1500 });
    let restarted = 0;
    s.on('restarted', () => (restarted += 1));
    const started = Date.now();
    const e = await failure(s.listTokens());
    expect((e.details as { reason: string }).reason).toBe('TOKEN_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(restarted).toBe(1);
    const e2 = await failure(s.listTokens());
    expect((e2.details as { reason: string }).reason).toBe('TOKEN_TIMEOUT');
    expect(restarted).toBe(2);
    fs.rmSync(path.dirname(stub), { recursive: true, force: true });
  });
});

