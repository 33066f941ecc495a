/**
 * The token service against real SoftHSM2 tokens in a child process: listing,
 * RSA and EC signatures, wrong PIN (never retried), a token removed mid-way, and a
 * module that hangs (the call is abandoned, the worker restarted).
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src-main/api/errors.js';
import { TokenService } from '../../src-main/signing/token/service.js';
import { buildWorker, hangingModule, keyOf, makePki, type Pki } from './helpers.js';

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

