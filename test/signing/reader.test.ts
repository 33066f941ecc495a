/**
 * The PDF reader's two ways of reading (small files whole, big ones by windows with
 * object extents from the xref) and its lazily decoded xref tables: same objects
 * either way, a big file signs and verifies (pdfsig agrees), and a table whose
 * entries are not laid out in 20 bytes is still read.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSignatures } from '../../src-main/signing/changes.js';
import { pemToDer } from '../../src-main/signing/der.js';
import { signPdf, type PdfSigner } from '../../src-main/signing/pades.js';
import { serialize } from '../../src-main/signing/pdf/objects.js';
import { PdfFile } from '../../src-main/signing/pdf/reader.js';
import { loadTrustStore } from '../../src-main/signing/trust.js';
import { verifyPdf } from '../../src-main/signing/verify.js';
import { chromiumPdf, keyOf, makePki, pdfsig, tempDir, type Pki } from './helpers.js';

let pki: Pki;
let dir: string;
let source: string;

beforeAll(() => {
  pki = makePki();
  dir = tempDir();
  source = chromiumPdf(dir, 3);
}, 60_000);
afterAll(() => {
  fs.rmSync(pki.dir, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

function softSigner(): PdfSigner {
  const k = keyOf(pki, 'ubnd');
  const key = crypto.createPrivateKey(fs.readFileSync(k.key));
  return {
    certificate: pemToDer(fs.readFileSync(k.cert, 'utf8'))[0] as Buffer,
    chain: pemToDer(fs.readFileSync(pki.ca.issuing, 'utf8')),
    keyType: 'rsa',
    sign: async (d) => crypto.sign('sha256', d, key),
  };
}

/** `base` + an incremental update with one big stream object placed before the catalog's objects are re-read. */
function withBigStream(base: string, out: string, megabytes: number): void {
  const head = fs.readFileSync(base);
  const text = head.toString('latin1');
  const size = Number(/\/Size (\d+)/.exec(text.slice(text.lastIndexOf('trailer')))?.[1]);
  const root = /\/Root (\d+ \d+ R)/.exec(text.slice(text.lastIndexOf('trailer')))?.[1];
  const prev = Number(/startxref\s+(\d+)/.exec(text.slice(text.lastIndexOf('startxref')))?.[1]);
  const body = crypto.randomBytes(megabytes << 20);
  const obj = Buffer.from(`\n${size} 0 obj\n<</Length ${body.length}>>\nstream\n`, 'latin1');
  const objAt = head.length + 1;
  const tail = Buffer.from('\nendstream\nendobj\n', 'latin1');
  const xrefAt = head.length + obj.length + body.length + tail.length;
  const xref = Buffer.from(`xref\n${size} 1\n${String(objAt).padStart(10, '0')} 00000 n\r\ntrailer\n<</Size ${size + 1} /Root ${root} /Prev ${prev}>>\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1');
  fs.writeFileSync(out, Buffer.concat([head, obj, body, tail, xref]));
}

function allObjects(file: PdfFile): Map<number, string> {
  const out = new Map<number, string>();
  for (const [num, e] of file.xref) {
    if (e.kind === 'free') continue;
    const v = file.getObject(num);
    out.set(num, v === undefined ? 'undefined' : v instanceof Object && 'dict' in v ? `stream ${serialize(v.dict).toString('latin1')}` : serialize(v).toString('latin1'));
  }
  return out;
}

describe('PDF reader', () => {
  it('a 5 MB file (read by windows) signs and verifies; pdfsig agrees', async () => {
    const big = path.join(dir, 'big.pdf');
    withBigStream(source, big, 5);
    const signed = path.join(dir, 'big-signed.pdf');
    await signPdf({ input: big, output: signed, signer: softSigner() });
    expect(pdfsig(signed).signatures[0]).toMatchObject({ valid: true, total: true });
    const report = await verifyPdf(signed, { trust: loadTrustStore({ certs: [pki.ca.root], crls: [pki.ca.issuingCrl, pki.ca.rootCrl] }) });
    expect(report.signatures[0]?.status, report.signatures[0]?.reasons.join('; ')).toBe('valid');
    // the same objects whether the file is read whole or by windows
    const small = PdfFile.open(source);
    const large = PdfFile.open(big);
    const a = allObjects(small);
    const b = allObjects(large);
    for (const [num, text] of a) expect(b.get(num), `object ${num}`).toBe(text);
    expect(large.pages().map((p) => p.num)).toEqual(small.pages().map((p) => p.num));
    small.close();
    large.close();
    // one byte changed in the middle of the big stream: invalid
    const bytes = fs.readFileSync(signed);
    const at = bytes.length >> 1;
    bytes[at] = (bytes[at] ?? 0) ^ 1;
    const bad = path.join(dir, 'big-bad.pdf');
    fs.writeFileSync(bad, bytes);
    const badReport = await verifyPdf(bad, { trust: loadTrustStore({ certs: [pki.ca.root] }) });
    expect(badReport.signatures[0]?.checks.integrity.state).toBe('failed');
  });

  it('reads an xref table whose entries are 19 bytes (LF only), object for object as the original', () => {
    const original = fs.readFileSync(source);
    const text = original.toString('latin1');
    const xrefAt = text.lastIndexOf('\nxref\n') + 1;
    const trailerAt = text.indexOf('trailer', xrefAt);
    const table = text.slice(xrefAt, trailerAt).replace(/ \n|\r\n| \r/g, '\n');
    const rewritten = Buffer.from(text.slice(0, xrefAt) + table + text.slice(trailerAt), 'latin1');
    const odd = path.join(dir, 'odd-xref.pdf');
    fs.writeFileSync(odd, rewritten);
    const a = PdfFile.open(source);
    const b = PdfFile.open(odd);
    expect(b.xref.size).toBe(a.xref.size);
    const objectsA = allObjects(a);
    const objectsB = allObjects(b);
    expect([...objectsB]).toEqual([...objectsA]);
    expect(findSignatures(b)).toEqual([]);
    a.close();
    b.close();
  });

  it('looks objects up without decoding the whole table, with the same answers as the decoded table', () => {
    const file = PdfFile.open(source);
    const some = [1, 2, 3, 5, 8];
    const looked = some.map((n) => file.entry(n));
    const table = file.xref; // decodes everything
    expect(looked).toEqual(some.map((n) => table.get(n)));
    expect(file.entry(table.size + 1000)).toBeUndefined();
    file.close();
  });
});

describe('verifier caches', () => {
  it('a forged certificate carrying a genuine certificate signature is not trusted, even after the genuine one was verified', async () => {
    const k = keyOf(pki, 'ubnd');
    const genuine = pemToDer(fs.readFileSync(k.cert, 'utf8'))[0] as Buffer;
    const forged = Buffer.from(genuine);
    const at = forged.indexOf(Buffer.from('Cao Bằng', 'utf8'), forged.length >> 2); // in the subject, not the issuer
    expect(at).toBeGreaterThan(0);
    forged[at] = 0x44; // "Dao Bằng": same length, same signature bytes, different to-be-signed part
    const key = crypto.createPrivateKey(fs.readFileSync(k.key));
    const signer = (certificate: Buffer): PdfSigner => ({ certificate, chain: pemToDer(fs.readFileSync(pki.ca.issuing, 'utf8')), keyType: 'rsa', sign: async (d) => crypto.sign('sha256', d, key) });
    const good = path.join(dir, 'genuine.pdf');
    const bad = path.join(dir, 'forged.pdf');
    await signPdf({ input: source, output: good, signer: signer(genuine) });
    await signPdf({ input: source, output: bad, signer: signer(forged) });
    const trust = loadTrustStore({ certs: [pki.ca.root], crls: [pki.ca.issuingCrl, pki.ca.rootCrl] });
    expect((await verifyPdf(good, { trust })).signatures[0]?.status).toBe('valid');
    const report = await verifyPdf(bad, { trust });
    expect(report.signatures[0]?.status).not.toBe('valid');
    expect(report.signatures[0]?.checks.chain.state).not.toBe('ok');
  });
});
