/**
 * The issuance chain on real PDFs with real SoftHSM2 tokens, through the CLI
 * commands: signer signs (visible, number fields reserved) → clerk's number →
 * agency seal signature. Judges: poppler's pdfsig, openssl cms -verify, and our
 * verifier. Then the failure cases: tampering, shadow changes, expired/revoked
 * certificates, wrong PIN (no output file).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberCommand, signCommand, verifyCommand } from '../../src-main/cli/signCommands.js';
import { findSignatures } from '../../src-main/signing/changes.js';
import { PdfFile } from '../../src-main/signing/pdf/reader.js';
import { signPdf } from '../../src-main/signing/pades.js';
import { loadTrustStore } from '../../src-main/signing/trust.js';
import { verifyPdf } from '../../src-main/signing/verify.js';
import { buildWorker, chromiumPdf, keyOf, makePki, opensslVerify, pdfsig, tempDir, type Pki } from './helpers.js';
import { sealImage, signatureImage } from './images.js';
import crypto from 'node:crypto';
import { pemToDer } from '../../src-main/signing/der.js';

let pki: Pki;
let dir: string;
let env: NodeJS.ProcessEnv;
let source: string;

beforeAll(() => {
  pki = makePki();
  dir = tempDir();
  env = { ...pki.env, VANTHU_TOKEN_WORKER: buildWorker() };
  source = chromiumPdf(dir, 3);
  fs.writeFileSync(path.join(dir, 'sig.png'), signatureImage());
  fs.writeFileSync(path.join(dir, 'seal.png'), sealImage(36));
}, 60_000);
afterAll(() => {
  fs.rmSync(pki.dir, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

async function cli(fn: typeof signCommand, args: string[], pin?: string): Promise<{ code: number; out: string }> {
  let out = '';
  // the signing side gets the issuing CA from the trust folder (as the bundled VGCA CAs in the app)
  const withTrust = fn === signCommand ? [...args, '--trust', pki.ca.chain] : args;
  const code = await fn(withTrust, (t) => (out += t), { stdin: Readable.from([pin ?? '']), env });
  return { code, out };
}

function trustArgs(): string[] {
  return ['--trust', pki.ca.root, '--crl', pki.ca.issuingCrl, '--crl', pki.ca.rootCrl];
}

function trust() {
  return loadTrustStore({ certs: [pki.ca.root], crls: [pki.ca.issuingCrl, pki.ca.rootCrl] });
}

function softSigner(id: string) {
  const k = keyOf(pki, id);
  const key = crypto.createPrivateKey(fs.readFileSync(k.key));
  return {
    certificate: pemToDer(fs.readFileSync(k.cert, 'utf8'))[0] as Buffer,
    chain: pemToDer(fs.readFileSync(pki.ca.issuing, 'utf8')),
    keyType: (key.asymmetricKeyType === 'ec' ? 'ec' : 'rsa') as 'ec' | 'rsa',
    sign: async (d: Buffer) => crypto.sign('sha256', d, key),
  };
}

describe('issuance: signer → number → agency', () => {
  const signed = () => path.join(dir, '1-signed.pdf');
  const numbered = () => path.join(dir, '2-numbered.pdf');
  const issued = () => path.join(dir, '3-issued.pdf');

  it('signs as the signer with a token, the image placed in the signer block', async () => {
    const r = await cli(signCommand, [source, '--as', 'signer', '--module', pki.module, '--token', 'NGUYEN VAN A', '--cert', '01', '--pin-stdin', '--out', signed(), '--image', path.join(dir, 'sig.png'), '--json'], '123456');
    expect(r.out).toContain('"ok":true');
    expect(r.code).toBe(0);
    const judge = pdfsig(signed());
    expect(judge.signatures).toHaveLength(1);
    expect(judge.signatures[0]).toMatchObject({ cn: 'Nguyễn Văn A', valid: true, total: true });
    const file = PdfFile.open(signed());
    const sig = findSignatures(file)[0];
    expect(sig?.pageIndex).toBe(2); // the last page, where the signer block is
    file.close();
  });

  it('writes the number and date without breaking the signer signature', async () => {
    const r = await cli(numberCommand as typeof signCommand, [signed(), '--number', '05', '--day', '21', '--month', '11', '--out', numbered(), '--json']);
    expect(r.code, r.out).toBe(0);
    const judge = pdfsig(numbered());
    expect(judge.signatures[0]).toMatchObject({ valid: true, total: false });
    const text = execFileSync('pdftotext', ['-f', '1', '-l', '1', numbered(), '-'], { encoding: 'utf8' });
    expect(text).toMatch(/Số:\s*05\s*\/QĐ-UBND/);
    const report = await verifyPdf(numbered(), { trust: trust() });
    expect(report.signatures[0]?.status).toBe('valid');
    expect(report.signatures[0]?.changesAfter.map((c) => c.kind)).toContain('form-fill');
  });

  it('adds the agency signature; pdfsig, openssl and our verifier agree both are valid', async () => {
    const r = await cli(signCommand, [numbered(), '--as', 'agency', '--module', pki.module, '--token', 'UBND CAO BANG', '--pin-stdin', '--out', issued(), '--image', path.join(dir, 'seal.png'), '--json'], '654321');
    expect(r.code, r.out).toBe(0);
    const judge = pdfsig(issued());
    expect(judge.signatures.map((s) => [s.cn, s.valid])).toEqual([
      ['Nguyễn Văn A', true],
      ['Ủy ban nhân dân tỉnh Cao Bằng', true],
    ]);
    const file = PdfFile.open(issued());
    const sigs = findSignatures(file);
    file.close();
    for (const s of sigs) {
      const o = opensslVerify(issued(), s.byteRange, s.contents, pki.ca.chain);
      expect(o.ok, o.output).toBe(true);
    }
    let out = '';
    const code = await verifyCommand([issued(), '--json', ...trustArgs()], (t) => (out += t));
    const report = JSON.parse(out) as { value: { signatures: { status: string; reasons: string[]; signer: { commonName: string } }[] } };
    expect(report.value.signatures.map((s) => [s.signer.commonName, s.status, s.reasons])).toEqual([
      ['Nguyễn Văn A', 'valid', []],
      ['Ủy ban nhân dân tỉnh Cao Bằng', 'valid', []],
    ]);
    expect(code).toBe(0);
  });

  it('one byte changed: pdfsig and our verifier both say invalid', async () => {
    const bytes = fs.readFileSync(issued());
    const at = bytes.indexOf('Điều 1'.length ? Buffer.from('/MediaBox') : Buffer.from(''));
    bytes[at + 2] = bytes[at + 2] === 0x65 ? 0x45 : 0x65; // "/MediaBox" → "/MEdiaBox"
    const bad = path.join(dir, 'tampered.pdf');
    fs.writeFileSync(bad, bytes);
    const judge = pdfsig(bad);
    expect(judge.signatures.map((s) => s.valid)).toEqual([false, false]);
    const report = await verifyPdf(bad, { trust: trust() });
    expect(report.signatures.map((s) => s.status)).toEqual(['invalid', 'invalid']);
    expect(report.signatures[0]?.reasons[0]).toMatch(/integrity/);
  });

  it('refuses to sign over a change made after the last signature (shadow attack), and the verifier flags it', async () => {
    // replace page 1's content after the signer signed, as an incremental update
    const file = PdfFile.open(signed());
    const pageRef = file.pages()[0];
    const page = file.dictAt(pageRef);
    expect(page).toBeDefined();
    const { IncrementalUpdate } = await import('../../src-main/signing/pdf/writer.js');
    const { PdfStream, dict } = await import('../../src-main/signing/pdf/objects.js');
    const update = new IncrementalUpdate(file);
    const contents = update.add(new PdfStream(dict({}), Buffer.from('BT /F1 40 Tf 100 500 Td (FAKE) Tj ET')));
    const changed = page!.clone().set('Contents', contents);
    update.set(pageRef!, changed);
    const built = update.build();
    file.close();
    const shadow = path.join(dir, 'shadow.pdf');
    fs.writeFileSync(shadow, Buffer.concat([fs.readFileSync(signed()), built.bytes]));
    expect(pdfsig(shadow).signatures[0]?.valid).toBe(true); // the byte range alone still checks out
    const out = path.join(dir, 'shadow-agency.pdf');
    await expect(signPdf({ input: shadow, output: out, signer: softSigner('ubnd') })).rejects.toMatchObject({ details: { reason: 'MODIFIED_AFTER_SIGNATURE' } });
    expect(fs.existsSync(out)).toBe(false);
    const report = await verifyPdf(shadow, { trust: trust() });
    expect(report.signatures[0]?.status).toBe('invalid');
    expect(report.signatures[0]?.checks.modifications.state).toBe('failed');
  });
});

describe('other files and certificates', () => {
  it('signs a PDF with object streams and an xref stream as it is (RSA then EC)', async () => {
    const doc = await PDFDocument.load(fs.readFileSync(source), { updateMetadata: false });
    const objstm = path.join(dir, 'objstm.pdf');
    fs.writeFileSync(objstm, await doc.save({ useObjectStreams: true }));
    const original = fs.readFileSync(objstm);
    expect(original.includes('/ObjStm')).toBe(true);
    const s1 = path.join(dir, 'objstm-1.pdf');
    const s2 = path.join(dir, 'objstm-2.pdf');
    await signPdf({ input: objstm, output: s1, signer: softSigner('nguyenvana') });
    const r = await cli(signCommand, [s1, '--as', 'appendix', '--module', pki.module, '--token', 'TRAN THI BINH EC', '--pin-stdin', '--out', s2, '--code', '05/QĐ-UBND', '--json'], '111111');
    expect(r.code, r.out).toBe(0);
    const out = fs.readFileSync(s2);
    expect(out.subarray(0, original.length).equals(original)).toBe(true); // the original bytes untouched
    expect(out.subarray(original.length).includes('/Type /XRef')).toBe(true);
    expect(pdfsig(s2).signatures.map((s) => s.valid)).toEqual([true, true]);
    const report = await verifyPdf(s2, { trust: trust() });
    expect(report.signatures.map((s) => s.status)).toEqual(['valid', 'valid']);
    const text = execFileSync('pdftotext', ['-f', '1', '-l', '1', s2, '-'], { encoding: 'utf8' });
    expect(text).toContain('05/QĐ-UBND');
  });

  it('refuses an expired certificate at signing; a revoked one verifies as invalid; no CRL is "cannot tell"', async () => {
    const r = await cli(signCommand, [source, '--as', 'copy', '--module', pki.module, '--token', 'NGUYEN VAN A', '--cert', '02', '--pin-stdin', '--out', path.join(dir, 'x.pdf'), '--json'], '123456');
    expect(r.code).toBe(1);
    expect(r.out).toContain('CERT_EXPIRED');
    expect(fs.existsSync(path.join(dir, 'x.pdf'))).toBe(false);
    const revoked = path.join(dir, 'revoked.pdf');
    const ok = await cli(signCommand, [source, '--as', 'copy', '--module', pki.module, '--token', 'NGUYEN VAN A', '--cert', '03', '--pin-stdin', '--out', revoked, '--agency', 'UBND tỉnh Cao Bằng', '--json'], '123456');
    expect(ok.code, ok.out).toBe(0);
    expect(pdfsig(revoked).signatures[0]?.valid).toBe(true);
    const report = await verifyPdf(revoked, { trust: trust() });
    expect(report.signatures[0]?.status).toBe('invalid');
    expect(report.signatures[0]?.checks.revocation.message).toMatch(/revoked/);
    const offline = await verifyPdf(revoked, { trust: loadTrustStore({ certs: [pki.ca.root] }) });
    expect(offline.signatures[0]?.status).toBe('indeterminate');
    expect(offline.signatures[0]?.reasons.join(' ')).toMatch(/revocation unknown/);
    const untrusted = await verifyPdf(revoked, { trust: loadTrustStore({}) });
    expect(untrusted.signatures[0]?.status).toBe('indeterminate');
  });

  it('a wrong PIN is reported and leaves no output file', async () => {
    const out = path.join(dir, 'wrong-pin.pdf');
    const r = await cli(signCommand, [source, '--as', 'appendix', '--module', pki.module, '--token', 'UBND CAO BANG', '--pin-stdin', '--out', out, '--code', '1/UBND', '--json'], '999999');
    expect(r.code).toBe(1);
    expect(r.out).toContain('PIN_INCORRECT');
    expect(r.out).not.toContain('999999');
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
