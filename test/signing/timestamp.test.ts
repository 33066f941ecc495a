/**
 * PAdES B-T against a real RFC 3161 TSA on 127.0.0.1 (openssl ts -reply with the
 * test PKI's TSA certificate: its own root, EKU timeStamping critical): the token
 * goes in as the signature-timestamp unsigned attribute, pdfsig and openssl still
 * say valid, our verifier takes the TSA time as the signing time once the TSA
 * chains to the trust store. A TSA that cannot be reached fails the signature (no
 * output) unless the user allowed B-B; a replayed or foreign answer is refused.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCommand } from '../../src-main/cli/signCommands.js';
import { findSignatures } from '../../src-main/signing/changes.js';
import { OID, parseSignedData } from '../../src-main/signing/cms.js';
import { pemToDer } from '../../src-main/signing/der.js';
import { signPdf, type PdfSigner } from '../../src-main/signing/pades.js';
import { PdfFile } from '../../src-main/signing/pdf/reader.js';
import { loadTrustStore } from '../../src-main/signing/trust.js';
import { readTimestampResponse, timestampRequest } from '../../src-main/signing/tsa.js';
import { verifyPdf, verifyWith } from '../../src-main/signing/verify.js';
import { buildWorker, chromiumPdf, closedPort, keyOf, makePki, opensslVerify, pdfsig, startTestTsa, tempDir, type Pki, type TestTsa } from './helpers.js';

let pki: Pki;
let dir: string;
let source: string;
let tsa: TestTsa;

beforeAll(async () => {
  pki = makePki();
  dir = tempDir();
  source = chromiumPdf(dir, 2);
  tsa = await startTestTsa(pki);
}, 60_000);
afterAll(async () => {
  await tsa.close();
  fs.rmSync(pki.dir, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

function softSigner(id: string): PdfSigner {
  const k = keyOf(pki, id);
  const key = crypto.createPrivateKey(fs.readFileSync(k.key));
  return {
    certificate: pemToDer(fs.readFileSync(k.cert, 'utf8'))[0] as Buffer,
    chain: pemToDer(fs.readFileSync(pki.ca.issuing, 'utf8')),
    keyType: key.asymmetricKeyType === 'ec' ? 'ec' : 'rsa',
    sign: async (d) => crypto.sign('sha256', d, key),
  };
}

function trust(withTsa = true) {
  return loadTrustStore({
    certs: withTsa ? [pki.ca.root, pki.ca.tsaRoot] : [pki.ca.root],
    crls: [pki.ca.issuingCrl, pki.ca.rootCrl, ...(withTsa ? [pki.ca.tsaRootCrl] : [])],
  });
}

function leftovers(): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));
}

describe('PAdES B-T with a local RFC 3161 TSA', () => {
  const stamped = () => path.join(dir, 'bt.pdf');

  it('embeds the TSA token over the signature value; pdfsig and openssl say valid', async () => {
    const claimed = new Date(Date.now() - 3 * 24 * 3600 * 1000); // /M says three days ago; the TSA says now
    const before = tsa.requests;
    const r = await signPdf({ input: source, output: stamped(), signer: softSigner('nguyenvana'), signingTime: claimed, tsa: { url: tsa.url } });
    expect(tsa.requests).toBe(before + 1);
    expect(r.level).toBe('B-T');
    expect(r.timestamp?.tsa).toContain('Dịch vụ cấp dấu thời gian');
    const judge = pdfsig(stamped());
    expect(judge.signatures[0]).toMatchObject({ cn: 'Nguyễn Văn A', valid: true, total: true });
    const file = PdfFile.open(stamped());
    const sig = findSignatures(file)[0];
    file.close();
    const o = opensslVerify(stamped(), sig?.byteRange ?? [], sig?.contents ?? Buffer.alloc(0), pki.ca.chain);
    expect(o.ok, o.output).toBe(true);
    // the unsigned attribute holds a token whose imprint is the SHA-256 of the signature value
    const si = parseSignedData(sig?.contents ?? Buffer.alloc(0)).signerInfos[0];
    const token = si?.unsignedAttrs.get(OID.timeStampToken)?.[0];
    expect(token).toBeDefined();
    const tokenDer = Buffer.from(token!.buf.subarray(token!.start, token!.end));
    fs.writeFileSync(path.join(dir, 'token.der'), tokenDer);
    const text = execFileSync('openssl', ['ts', '-reply', '-token_in', '-in', path.join(dir, 'token.der'), '-token_out', '-text'], { encoding: 'utf8' });
    const imprint = crypto.createHash('sha256').update(si!.signature).digest('hex');
    expect(text.replace(/[^0-9a-f]/gi, '').toLowerCase()).toContain(imprint.slice(0, 16));
  });

  it('our verifier checks the token and uses the TSA time as the signing time', async () => {
    const report = await verifyPdf(stamped(), { trust: trust() });
    const s = report.signatures[0];
    expect(s?.status, s?.reasons.join('; ')).toBe('valid');
    expect(s?.checks.timestamp.state).toBe('ok');
    expect(s?.signingTimeSource).toBe('timestamp');
    expect(s?.timestamp?.trusted).toBe(true);
    expect(s?.timestamp?.tsa).toContain('Dịch vụ cấp dấu thời gian');
    // TSA time (now), not the claimed /M three days ago
    const [y, mo, d] = (s?.signingTime ?? '').slice(0, 10).split('-').map(Number);
    expect(Math.abs(Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 0) - Date.now())).toBeLessThan(36 * 3600 * 1000);
  });

  it('a TSA outside the trust store: "cannot tell", and the claimed time is not taken for proven', async () => {
    const report = await verifyPdf(stamped(), { trust: trust(false) });
    const s = report.signatures[0];
    expect(s?.status).toBe('indeterminate');
    expect(s?.checks.timestamp.state).toBe('unknown');
    expect(s?.checks.timestamp.message).toMatch(/TSA not trusted/);
    expect(s?.signingTimeSource).toBe('claimed');
  });

  it('a token copied onto another signature does not cover it', async () => {
    // sign again (B-B), then graft the first file's token into the second CMS, same length
    const plain = path.join(dir, 'plain.pdf');
    await signPdf({ input: source, output: plain, signer: softSigner('nguyenvana'), reserve: 32768 });
    const a = PdfFile.open(stamped());
    const sigA = findSignatures(a)[0];
    a.close();
    const b = PdfFile.open(plain);
    const sigB = findSignatures(b)[0];
    b.close();
    const siA = parseSignedData(sigA!.contents).signerInfos[0];
    const token = siA!.unsignedAttrs.get(OID.timeStampToken)![0]!;
    const { signedData } = await import('../../src-main/signing/cms.js');
    const siB = parseSignedData(sigB!.contents).signerInfos[0]!;
    const signer = softSigner('nguyenvana');
    const grafted = signedData({
      signedAttrs: siB.signedAttrs!,
      signature: siB.signature,
      certificate: signer.certificate,
      chain: signer.chain,
      keyType: 'rsa',
      timestampToken: Buffer.from(token.buf.subarray(token.start, token.end)),
    });
    const bytes = fs.readFileSync(plain);
    const hex = Buffer.from(grafted.toString('hex'), 'latin1');
    hex.copy(bytes, (sigB!.byteRange[1] ?? 0) + 1);
    const graftedFile = path.join(dir, 'grafted.pdf');
    fs.writeFileSync(graftedFile, bytes);
    const report = await verifyPdf(graftedFile, { trust: trust() });
    expect(report.signatures[0]?.status).toBe('invalid');
    expect(report.signatures[0]?.checks.timestamp.message).toMatch(/does not cover this signature/);
  });

  it('TSA unreachable: an error and no output file, unless the user allowed B-B', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/tsa`;
    const out = path.join(dir, 'no-tsa.pdf');
    await expect(signPdf({ input: source, output: out, signer: softSigner('nguyenvana'), tsa: { url } })).rejects.toMatchObject({ details: { reason: 'TSA_UNREACHABLE' } });
    expect(fs.existsSync(out)).toBe(false);
    expect(leftovers()).toEqual([]);
    const r = await signPdf({ input: source, output: out, signer: softSigner('nguyenvana'), tsa: { url }, allowWithoutTimestamp: true });
    expect(r.level).toBe('B-B');
    expect(r.timestampError?.reason).toBe('TSA_UNREACHABLE');
    expect(pdfsig(out).signatures[0]?.valid).toBe(true);
    const report = await verifyPdf(out, { trust: trust() });
    expect(report.signatures[0]?.status).toBe('valid');
    expect(report.signatures[0]?.signingTimeSource).toBe('claimed');
  });

  it('a TSA that does not answer in time fails the signature (bounded wait)', async () => {
    const hang = await startTestTsa(pki, 'hang');
    const out = path.join(dir, 'hang.pdf');
    const started = Date.now();
    await expect(signPdf({ input: source, output: out, signer: softSigner('nguyenvana'), tsa: { url: hang.url, timeoutMs: 800 } })).rejects.toMatchObject({ details: { reason: 'TSA_TIMEOUT' } });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(fs.existsSync(out)).toBe(false);
    expect(leftovers()).toEqual([]);
    await hang.close();
  });

  it('refuses a replayed answer (another imprint) and an answer with another nonce', async () => {
    const replay = await startTestTsa(pki, 'replay');
    await signPdf({ input: source, output: path.join(dir, 'r1.pdf'), signer: softSigner('nguyenvana'), tsa: { url: replay.url } });
    const out = path.join(dir, 'r2.pdf');
    // (another signing time: another signature value; the same one would be caught by the nonce)
    const other = new Date(Date.now() - 60_000);
    await expect(signPdf({ input: source, output: out, signer: softSigner('nguyenvana'), signingTime: other, tsa: { url: replay.url } })).rejects.toMatchObject({ details: { reason: 'TSA_WRONG_IMPRINT' } });
    expect(fs.existsSync(out)).toBe(false);
    await replay.close();
    // same imprint, different nonce: the answer is not to our request
    const imprint = crypto.createHash('sha256').update('x').digest();
    const query = path.join(dir, 'q.tsq');
    const reply = path.join(dir, 'r.tsr');
    fs.writeFileSync(query, timestampRequest(imprint, Buffer.from('0102030405060708', 'hex')));
    execFileSync('openssl', ['ts', '-reply', '-config', pki.ca.config, '-queryfile', query, '-out', reply], { stdio: 'ignore' });
    const der = fs.readFileSync(reply);
    expect(readTimestampResponse(der, { imprint, nonce: Buffer.from('0102030405060708', 'hex') }, verifyWith).tsa).toBeDefined();
    expect(() => readTimestampResponse(der, { imprint, nonce: Buffer.from('0102030405060709', 'hex') }, verifyWith)).toThrow(/nonce/);
  });

  it('vanthu sign --tsa with a SoftHSM token: B-T, pdfsig valid', async () => {
    const env = { ...pki.env, VANTHU_TOKEN_WORKER: buildWorker() };
    const out = path.join(dir, 'cli-bt.pdf');
    let text = '';
    const code = await signCommand(
      [source, '--as', 'appendix', '--module', pki.module, '--token', 'UBND CAO BANG', '--pin-stdin', '--out', out, '--code', '05/QĐ-UBND', '--tsa', tsa.url, '--trust', pki.ca.chain, '--json'],
      (t) => (text += t),
      { stdin: Readable.from(['654321']), env },
    );
    expect(code, text).toBe(0);
    expect(JSON.parse(text).value.level).toBe('B-T');
    expect(pdfsig(out).signatures[0]?.valid).toBe(true);
    const report = await verifyPdf(out, { trust: trust() });
    expect(report.signatures[0]?.status, report.signatures[0]?.reasons.join('; ')).toBe('valid');
    expect(report.signatures[0]?.signingTimeSource).toBe('timestamp');
  });
});
