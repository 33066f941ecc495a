/**
 * Signing test helpers: the test PKI and SoftHSM2 tokens (made by
 * scripts/make-test-pki.sh in a temp dir), the token worker compiled to JS (the
 * worker runs in a child process, which vitest does not transform), PDFs made by
 * Chromium, and the independent judges (pdfsig, openssl cms).
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '../..');

export interface PkiKey {
  id: string;
  ckaId: string;
  cert: string;
  key: string;
  p12: string;
}
export interface Pki {
  dir: string;
  module: string;
  softhsm2Conf: string;
  soPin: string;
  ca: {
    root: string;
    issuing: string;
    chain: string;
    issuingCrl: string;
    rootCrl: string;
    /** a separate root for the TSA, its CRL, the TSA certificate (EKU timeStamping, critical) and key */
    tsaRoot: string;
    tsaRootCrl: string;
    tsa: string;
    tsaKey: string;
    /** openssl config with the [tsa] section (`openssl ts -reply -config …`) */
    config: string;
    /** OCSP responder delegated by the issuing CA (EKU OCSPSigning), its key, and the issuing CA's database for `openssl ocsp -index` */
    ocsp: string;
    ocspKey: string;
    issuingIndex: string;
  };
  tokens: { label: string; pin: string; keys: PkiKey[] }[];
  env: NodeJS.ProcessEnv;
}

export function tempDir(prefix = 'vanthu-sign-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A fresh test PKI + SoftHSM2 store of its own (tests may delete tokens or lock
 * PINs). Made once by scripts/make-test-pki.sh into a template in the temp folder
 * (named after the script's contents, so a changed script makes a new one), then
 * copied per test file with its paths rewritten: about 0.1 s instead of 4–8 s.
 */
export function makePki(): Pki {
  const template = pkiTemplate();
  // the folder the script wrote into (its paths are in the text files)
  const origin = path.dirname((JSON.parse(fs.readFileSync(path.join(template, 'manifest.json'), 'utf8')) as { softhsm2Conf: string }).softhsm2Conf);
  const dir = tempDir('vanthu-pki-');
  fs.cpSync(template, dir, { recursive: true });
  for (const rel of ['manifest.json', 'softhsm2.conf', 'ca/openssl.cnf']) {
    const file = path.join(dir, rel);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').split(origin).join(dir));
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Omit<Pki, 'dir' | 'env'>;
  return { ...manifest, dir, env: { ...process.env, SOFTHSM2_CONF: manifest.softhsm2Conf } };
}

function pkiTemplate(): string {
  const hash = crypto.createHash('sha256');
  for (const f of ['scripts/make-test-pki.sh', 'scripts/test-pki/put-certs.mjs']) hash.update(fs.readFileSync(path.join(repo, f)));
  hash.update(process.env.VANTHU_TEST_OCSP_URL ?? ''); // baked into the leaves' AIA
  const template = path.join(os.tmpdir(), `vanthu-test-pki-${hash.digest('hex').slice(0, 16)}`);
  if (fs.existsSync(path.join(template, 'manifest.json'))) return template;
  // made aside and renamed into place: test files starting together may both make one
  const fresh = tempDir('vanthu-pki-make-');
  execFileSync('bash', [path.join(repo, 'scripts/make-test-pki.sh'), fresh], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    fs.renameSync(fresh, template);
  } catch {
    fs.rmSync(fresh, { recursive: true, force: true }); // another one won
  }
  return template;
}

export function keyOf(pki: Pki, id: string): PkiKey & { token: Pki['tokens'][number] } {
  for (const token of pki.tokens) for (const k of token.keys) if (k.id === id) return { ...k, token };
  throw new Error(`no key ${id}`);
}

/** Compiles src-main (signing and what it imports) to dist/signing-test so the worker can be forked. */
export function buildWorker(): string {
  const outRoot = path.join(repo, 'dist', 'signing-test');
  const sources = [
    ...listTs(path.join(repo, 'src-main/signing')),
    path.join(repo, 'src-main/api/errors.ts'),
    path.join(repo, 'src-main/log.ts'),
  ];
  for (const src of sources) {
    const rel = path.relative(repo, src);
    const out = path.join(outRoot, rel.replace(/\.ts$/, '.js'));
    const code = ts.transpileModule(fs.readFileSync(src, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true, esModuleInterop: true },
      fileName: src,
    }).outputText;
    fs.mkdirSync(path.dirname(out), { recursive: true });
    if (!fs.existsSync(out) || fs.readFileSync(out, 'utf8') !== code) fs.writeFileSync(out, code);
  }
  return path.join(outRoot, 'src-main/signing/token/worker.js');
}

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listTs(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** A module stub that never answers C_GetSlotList (compiled with cc), or undefined without a compiler. */
export function hangingModule(): string | undefined {
  const cc = spawnSync('cc', ['--version']);
  if (cc.status !== 0) return undefined;
  const out = path.join(tempDir('vanthu-stub-'), 'hang-pkcs11.so');
  execFileSync('cc', ['-shared', '-fPIC', '-I', path.join(repo, 'node_modules/pkcs11js/includes/pkcs11'), '-o', out, path.join(here, 'fixtures/hang-pkcs11.c')]);
  return out;
}

/**
 * The PKCS#11 shim (fixtures/shim-pkcs11.c) compiled with cc, or undefined without a
 * compiler. It forwards to VANTHU_SHIM_TARGET; see the C file for the modes.
 */
export function shimModule(): string | undefined {
  const cc = spawnSync('cc', ['--version']);
  if (cc.status !== 0) return undefined;
  const out = path.join(tempDir('vanthu-shim-'), 'shim-pkcs11.so');
  execFileSync('cc', ['-shared', '-fPIC', '-I', path.join(repo, 'node_modules/pkcs11js/includes/pkcs11'), '-o', out, path.join(here, 'fixtures/shim-pkcs11.c'), '-ldl']);
  return out;
}

/** A real multi-page PDF with Vietnamese text, printed by Chromium (classic xref table). */
export function chromiumPdf(dir: string, pages = 3): string {
  const html = path.join(dir, 'doc.html');
  const pdf = path.join(dir, 'doc.pdf');
  const body = Array.from({ length: pages }, (_, i) =>
    i === 0
      ? `<table width="100%"><tr><td style="text-align:center">UBND TỈNH CAO BẰNG<br>Số: &nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;/QĐ-UBND</td>
         <td style="text-align:center"><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br>Độc lập - Tự do - Hạnh phúc<br><i>Cao Bằng, ngày &nbsp;&nbsp;&nbsp; tháng &nbsp;&nbsp;&nbsp; năm 2026</i></td></tr></table>
         <h3 style="text-align:center">QUYẾT ĐỊNH<br>Về việc phê duyệt kế hoạch chuyển đổi số năm 2026</h3>
         <p>Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;</p>
         <p style="page-break-after:always">Điều 1. Phê duyệt kế hoạch (trang ${i + 1}).</p>`
      : i === pages - 1
        ? `<p>Điều ${i + 1}. Tổ chức thực hiện.</p><table width="100%"><tr><td width="50%"><b><i>Nơi nhận:</i></b><br>- Như Điều 3;<br>- Lưu: VT.</td>
           <td style="text-align:center"><b>KT. CHỦ TỊCH<br>PHÓ CHỦ TỊCH</b><br><br><br><br><br><br><b>Nguyễn Văn A</b></td></tr></table>`
        : `<p style="page-break-after:always">Điều ${i + 1}. Nội dung trang ${i + 1}: ${'Văn bản điện tử có chữ ký số. '.repeat(40)}</p>`,
  ).join('\n');
  fs.writeFileSync(html, `<html><head><meta charset="utf-8"><style>body{font-family:'Liberation Serif';font-size:14pt}</style></head><body>${body}</body></html>`);
  execFileSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', `--print-to-pdf=${pdf}`, `file://${html}`], { stdio: 'ignore' });
  return pdf;
}

export interface PdfsigResult {
  signatures: { name: string; cn: string; valid: boolean; total: boolean; validation: string; certificate: string }[];
  raw: string;
}

/** poppler's pdfsig (with -nocert: our test root is not in NSS; chains are checked by our verifier and openssl). */
export function pdfsig(file: string): PdfsigResult {
  const r = spawnSync('pdfsig', ['-nocert', file], { encoding: 'utf8' });
  const raw = `${r.stdout}${r.stderr}`;
  const signatures: PdfsigResult['signatures'] = [];
  for (const block of raw.split(/^Signature #\d+:$/m).slice(1)) {
    const get = (label: string): string => new RegExp(`- ${label}: (.*)$`, 'm').exec(block)?.[1]?.trim() ?? '';
    signatures.push({
      name: get('Signature Field Name'),
      cn: get('Signer Certificate Common Name'),
      validation: get('Signature Validation'),
      certificate: get('Certificate Validation'),
      valid: get('Signature Validation') === 'Signature is Valid.',
      total: /Total document signed/.test(block),
    });
  }
  return { signatures, raw };
}

/** openssl cms -verify of signature #index: CMS from /Contents, content = the byte ranges. */
export function opensslVerify(file: string, byteRange: number[], contents: Buffer, caFile: string): { ok: boolean; output: string } {
  const dir = tempDir('vanthu-cms-');
  const data = fs.readFileSync(file);
  const [a = 0, b = 0, c = 0, d = 0] = byteRange;
  fs.writeFileSync(path.join(dir, 'content.bin'), Buffer.concat([data.subarray(a, a + b), data.subarray(c, c + d)]));
  fs.writeFileSync(path.join(dir, 'sig.der'), trimDer(contents));
  const r = spawnSync(
    'openssl',
    ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(dir, 'sig.der'), '-content', path.join(dir, 'content.bin'), '-CAfile', caFile, '-purpose', 'any', '-out', '/dev/null'],
    { encoding: 'utf8' },
  );
  fs.rmSync(dir, { recursive: true, force: true });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}

function trimDer(buf: Buffer): Buffer {
  // outer SEQUENCE length tells where the zero padding starts
  const lenByte = buf[1] ?? 0;
  if (lenByte < 0x80) return buf.subarray(0, 2 + lenByte);
  const n = lenByte & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i += 1) len = len * 256 + (buf[2 + i] ?? 0);
  return buf.subarray(0, 2 + n + len);
}

export function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export interface TestTsa {
  url: string;
  /** requests answered so far */
  requests: number;
  /** 'ok': openssl ts -reply per request; 'replay': the first reply, again and again; 'hang': never answers */
  mode: 'ok' | 'replay' | 'hang';
  close(): Promise<void>;
}

/**
 * A local RFC 3161 TSA on 127.0.0.1: each POSTed query is answered by `openssl ts
 * -reply` with the test PKI's TSA certificate and key (config [tsa] in ca/openssl.cnf).
 */
export async function startTestTsa(pki: Pki, mode: TestTsa['mode'] = 'ok'): Promise<TestTsa> {
  const dir = tempDir('vanthu-tsa-');
  let first: Buffer | undefined;
  let n = 0;
  const hanging: http.ServerResponse[] = [];
  const state: TestTsa = { url: '', requests: 0, mode, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (state.mode === 'hang') return void hanging.push(res);
      if (req.method !== 'POST' || req.headers['content-type'] !== 'application/timestamp-query') {
        res.writeHead(400).end();
        return;
      }
      if (state.mode === 'replay' && first) {
        state.requests += 1;
        res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' }).end(first);
        return;
      }
      n += 1;
      const q = path.join(dir, `q${n}.tsq`);
      const r = path.join(dir, `r${n}.tsr`);
      fs.writeFileSync(q, Buffer.concat(chunks));
      execFile('openssl', ['ts', '-reply', '-config', pki.ca.config, '-queryfile', q, '-out', r], (error) => {
        if (error) {
          res.writeHead(500).end();
          return;
        }
        const reply = fs.readFileSync(r);
        first ??= reply;
        state.requests += 1;
        res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' }).end(reply);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  state.url = `http://127.0.0.1:${port}/tsa`;
  state.close = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return state;
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
