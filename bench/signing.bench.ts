/**
 * Signing benchmarks (figures, not pass/fail):
 *   npm run build && node dist/main/bench/signing.bench.js [--sizes 20,200|none] [--verify 1000] [--runs 3]
 *
 * Each figure is measured --runs times (floor and ours alternating, so both see the
 * same machine load — the cores are shared) and the median is printed with the spread.
 *
 * 1. Sign a 20 MB PDF with a SoftHSM2 token: time against the floor measured in the
 *    same run (SHA-256 of the file + one token signature), and against @signpdf with a
 *    P12 signer on the same file. Peak memory (max RSS of a fresh process) for each
 *    size: ours should stay flat as the file grows.
 * 2. Verify N signed PDFs: time against the floor (hash of the signed ranges + one
 *    signature verification per file, with everything else precomputed).
 * Each measurement runs in its own child process so RSS figures do not mix.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { argValue } from './measure.js';
import { parseSignedData } from '../src-main/signing/cms.js';
import { findSignatures } from '../src-main/signing/changes.js';
import { certParts, pemToDer } from '../src-main/signing/der.js';
import { signPdf, type PdfSigner } from '../src-main/signing/pades.js';
import { PdfFile } from '../src-main/signing/pdf/reader.js';
import { TokenService, tokenSigner } from '../src-main/signing/token/service.js';
import { loadTrustStore } from '../src-main/signing/trust.js';
import { verifyPdf } from '../src-main/signing/verify.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');

interface Manifest {
  module: string;
  softhsm2Conf: string;
  ca: { root: string; issuing: string; chain: string };
  tokens: { label: string; pin: string; keys: { id: string; ckaId: string; cert: string; key: string; p12: string }[] }[];
}

function rssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** base PDF (Chromium) + an incremental update holding one big stream, written in chunks. */
function bigPdf(base: string, out: string, megabytes: number): void {
  const fd = fs.openSync(out, 'w');
  const head = fs.readFileSync(base);
  fs.writeSync(fd, head);
  const trailer = /trailer\s*<<([\s\S]*?)>>\s*startxref\s*(\d+)/.exec(head.toString('latin1').slice(-2048));
  const size = Number(/\/Size (\d+)/.exec(trailer?.[1] ?? '')?.[1] ?? 0);
  const root = /\/Root (\d+ \d+ R)/.exec(trailer?.[1] ?? '')?.[1] ?? '1 0 R';
  const prev = Number(trailer?.[2] ?? 0);
  let offset = head.length;
  const objOffset = offset + 1;
  const bytes = megabytes * 1024 * 1024;
  const header = Buffer.from(`\n${size} 0 obj\n<</Length ${bytes}>>\nstream\n`);
  fs.writeSync(fd, header);
  offset += header.length;
  const chunk = crypto.randomBytes(1 << 20);
  for (let i = 0; i < megabytes; i += 1) {
    chunk[0] = i & 0xff;
    fs.writeSync(fd, chunk);
  }
  offset += bytes;
  const tail1 = Buffer.from('\nendstream\nendobj\n');
  fs.writeSync(fd, tail1);
  offset += tail1.length;
  const xref = `xref\n${size} 1\n${String(objOffset).padStart(10, '0')} 00000 n\r\ntrailer\n<</Size ${size + 1} /Root ${root} /Prev ${prev}>>\nstartxref\n${offset}\n%%EOF\n`;
  fs.writeSync(fd, xref);
  fs.closeSync(fd);
}

async function child(kind: string, file: string, manifestPath: string, workerPath: string): Promise<void> {
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest;
  const token = manifest.tokens.find((t) => t.label === 'UBND CAO BANG');
  const key = token?.keys[0];
  if (!token || !key) throw new Error('no agency token');
  const out = `${file}.${kind}.signed.pdf`;
  if (kind === 'signpdf') {
    const { SignPdf } = await import('@signpdf/signpdf');
    const { P12Signer } = await import('@signpdf/signer-p12');
    const { plainAddPlaceholder } = await import('@signpdf/placeholder-plain');
    const start = performance.now();
    const pdf = plainAddPlaceholder({ pdfBuffer: fs.readFileSync(file), reason: 'bench', contactInfo: '', name: 'bench', location: '' });
    const signed = await new SignPdf().sign(pdf, new P12Signer(fs.readFileSync(key.p12), { passphrase: 'test' }));
    fs.writeFileSync(out, signed);
    process.stdout.write(JSON.stringify({ ms: performance.now() - start, rssMb: rssMb() }));
    return;
  }
  const service = new TokenService({ modules: [manifest.module], workerPath, env: { ...process.env, SOFTHSM2_CONF: manifest.softhsm2Conf }, pollMs: 0 });
  try {
    const tokens = await service.listTokens(); // warm: worker started, module loaded
    const info = tokens.find((t) => t.label === token.label);
    const cert = info?.certificates.find((c) => c.id === key.ckaId);
    if (!info || !cert) throw new Error('token not found');
    const start = performance.now();
    if (kind === 'floor') {
      const hash = crypto.createHash('sha256');
      for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
      await service.sign({ module: manifest.module, tokenSerial: info.serial, certId: cert.id, pin: token.pin, data: hash.digest() });
    } else {
      const chain = pemToDer(fs.readFileSync(manifest.ca.issuing, 'utf8'));
      await signPdf({ input: file, output: out, signer: tokenSigner(service, info, cert, token.pin, chain) });
    }
    process.stdout.write(JSON.stringify({ ms: performance.now() - start, rssMb: rssMb() }));
  } finally {
    await service.close();
    fs.rmSync(out, { force: true });
  }
}

function runChild(kind: string, file: string, manifest: string, worker: string): { ms: number; rssMb: number } {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', kind, file, manifest, worker], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${kind} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { ms: number; rssMb: number };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN;
}

/** The figure of every run, in run order (the first one with a cold JIT). */
function spread(values: number[], digits = 2): string {
  return values.length > 1 ? ` [runs: ${values.map((v) => v.toFixed(digits)).join(' ')}]` : '';
}

async function verifyBench(dir: string, manifest: Manifest, count: number, base: string, runs: number): Promise<void> {
  const key = crypto.createPrivateKey(fs.readFileSync(manifest.tokens[0]?.keys[0]?.key ?? ''));
  const signer: PdfSigner = {
    certificate: pemToDer(fs.readFileSync(manifest.tokens[0]?.keys[0]?.cert ?? '', 'utf8'))[0] as Buffer,
    chain: pemToDer(fs.readFileSync(manifest.ca.issuing, 'utf8')),
    keyType: 'rsa',
    sign: async (d) => crypto.sign('sha256', d, key),
  };
  const files: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const f = path.join(dir, `v${i}.pdf`);
    if (!fs.existsSync(f)) await signPdf({ input: base, output: f, signer, signingTime: new Date(Date.now() - i * 1000) });
    files.push(f);
  }
  // floor inputs, precomputed: byte ranges, signed attributes, signature, public key
  const pre = files.map((f) => {
    const pdf = PdfFile.open(f);
    const s = findSignatures(pdf)[0];
    pdf.close();
    const sd = parseSignedData(s?.contents ?? Buffer.alloc(0));
    const si = sd.signerInfos[0];
    const pub = crypto.createPublicKey({ key: certParts(sd.certificates[0] as Buffer).spki, format: 'der', type: 'spki' });
    return { f, br: s?.byteRange ?? [], attrs: si?.signedAttrs ?? Buffer.alloc(0), sig: si?.signature ?? Buffer.alloc(0), pub };
  });
  const trust = loadTrustStore({ certs: [manifest.ca.root], crls: [path.join(path.dirname(manifest.ca.root), 'issuing.crl.pem'), path.join(path.dirname(manifest.ca.root), 'root.crl.pem')] });
  const floors: number[] = [];
  const ourTimes: number[] = [];
  const ratios: number[] = [];
  let valid = 0;
  for (let run = 0; run < runs; run += 1) {
    let start = performance.now();
    for (const p of pre) {
      const data = fs.readFileSync(p.f);
      const [a = 0, b = 0, c = 0, d = 0] = p.br;
      crypto.createHash('sha256').update(data.subarray(a, a + b)).update(data.subarray(c, c + d)).digest();
      crypto.verify('sha256', p.attrs, p.pub, p.sig);
    }
    const floor = performance.now() - start;
    start = performance.now();
    valid = 0;
    for (const f of files) if ((await verifyPdf(f, { trust })).signatures[0]?.status === 'valid') valid += 1;
    const ours = performance.now() - start;
    floors.push(floor);
    ourTimes.push(ours);
    ratios.push(ours / floor);
  }
  process.stdout.write(
    `verify ${count} signed PDFs: ours ${(median(ourTimes) / 1000).toFixed(2)} s (${valid} valid, ${(median(ourTimes) / count).toFixed(3)} ms/file) · ` +
      `floor (hash+verify) ${(median(floors) / 1000).toFixed(2)} s (${(median(floors) / count).toFixed(3)} ms/file) · ratio ${median(ratios).toFixed(2)}×${spread(ratios)}` +
      `${runs > 1 ? ' (first run: cold JIT)' : ''}\n`,
  );
}

async function main(): Promise<void> {
  const childAt = process.argv.indexOf('--child');
  if (childAt >= 0) {
    const [kind, file, manifest, worker] = process.argv.slice(childAt + 1);
    await child(kind ?? '', file ?? '', manifest ?? '', worker ?? '');
    return;
  }
  const sizesArg = argValue('--sizes', '20,200');
  const sizes = sizesArg === 'none' ? [] : sizesArg.split(',').map(Number);
  const verifyCount = Number(argValue('--verify', '1000'));
  const runs = Math.max(1, Number(argValue('--runs', '3')));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vanthu-sign-bench-'));
  try {
    execFileSync('bash', [path.join(repo, 'scripts/make-test-pki.sh'), path.join(dir, 'pki')], { stdio: ['ignore', 'ignore', 'inherit'] });
    const manifestPath = path.join(dir, 'pki', 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest;
    const worker = path.join(repo, 'dist/main/src-main/signing/token/worker.js');
    const html = path.join(dir, 'base.html');
    fs.writeFileSync(html, `<html><meta charset="utf-8"><body style="font-family:'Liberation Serif'"><p>Số: /QĐ-UBND</p>${'<p>Văn bản điện tử.</p>'.repeat(200)}</body></html>`);
    const base = path.join(dir, 'base.pdf');
    execFileSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', `--print-to-pdf=${base}`, `file://${html}`], { stdio: 'ignore' });
    for (const mb of sizes) {
      const file = path.join(dir, `big-${mb}.pdf`);
      bigPdf(base, file, mb);
      const floors: { ms: number; rssMb: number }[] = [];
      const ours: { ms: number; rssMb: number }[] = [];
      const ratios: number[] = [];
      for (let run = 0; run < runs; run += 1) {
        const floor = runChild('floor', file, manifestPath, worker);
        const mine = runChild('ours', file, manifestPath, worker);
        floors.push(floor);
        ours.push(mine);
        ratios.push(mine.ms / floor.ms);
      }
      const oursMs = median(ours.map((o) => o.ms));
      const floorMs = median(floors.map((o) => o.ms));
      const oursRss = Math.max(...ours.map((o) => o.rssMb));
      const floorRss = Math.max(...floors.map((o) => o.rssMb));
      let line = `sign ${mb} MB: ours ${oursMs.toFixed(0)} ms, peak RSS ${oursRss.toFixed(0)} MB · floor (sha256 + token signature) ${floorMs.toFixed(0)} ms, RSS ${floorRss.toFixed(0)} MB · ratio ${median(ratios).toFixed(2)}×${spread(ratios)}`;
      if (mb <= 50) {
        const baseline = runChild('signpdf', file, manifestPath, worker);
        line += ` · @signpdf+P12 ${baseline.ms.toFixed(0)} ms, RSS ${baseline.rssMb.toFixed(0)} MB`;
      }
      process.stdout.write(`${line}\n`);
      fs.rmSync(file, { force: true });
    }
    if (verifyCount > 0) await verifyBench(dir, manifest, verifyCount, base, runs);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
