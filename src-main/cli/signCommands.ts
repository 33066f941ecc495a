/**
 * `vanthu sign` and `vanthu verify` over the signing services (the lead wires them
 * into vanthu.ts). Exit codes: 0 done / all signatures valid, 1 refused / not all
 * valid (the JSON says why), 2 usage.
 *
 *   vanthu sign FILE --as signer|agency|appendix|copy --module PATH --token LABEL --pin-stdin --out OUT
 *        [--cert CKA_ID] [--image PNG] [--name TEXT] [--agency TEXT] [--code SO/KY-HIEU]
 *        [--copy-kind "SAO Y"] [--page N --rect x1,y1,x2,y2] [--no-reserve] [--trust DIR]…
 *        [--tsa URL [--allow-no-timestamp]] [--json]
 *   vanthu number FILE --number 05 [--day 21 --month 11] --out OUT [--json]
 *   vanthu verify FILE [--trust DIR]… [--crl DIR]… [--ocsp [--ocsp-url URL]] [--data-dir DIR] [--json]
 *        (--ocsp with --data-dir: OCSP answers kept in DIR/signing/ocsp, as the app does)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, toErrorValue } from '../api/errors.js';
import { appearance, type AppearanceMode } from '../signing/appearance.js';
import { certParts, keyUsage, nameAttribute, type CertParts } from '../signing/der.js';
import { readLayout, type Rect } from '../signing/layout.js';
import { fillNumber, reserveNumberFields } from '../signing/numbering.js';
import type { OcspOptions } from '../signing/ocsp.js';
import { ocspCacheDir, ocspFileCache } from '../signing/ocspCache.js';
import { signPdf, type SignPdfOptions } from '../signing/pades.js';
import { automaticPlacement, numberFieldSlots, stampLines, type Placement } from '../signing/placement.js';
import { vnIso } from '../signing/time.js';
import type { TokenCertificate, TokenInfo } from '../signing/token/protocol.js';
import { TokenService, tokenSigner } from '../signing/token/service.js';
import { defaultTrustSources, loadTrustStore, type TrustStore } from '../signing/trust.js';
import { verifyPdf, type VerifyReport } from '../signing/verify.js';
import { parseCommandLine } from './args.js';

type Write = (text: string) => void;

const signUsage = `Usage: vanthu sign FILE --as signer|agency|appendix|copy --module PATH --token LABEL --pin-stdin --out OUT
  [--cert CKA_ID] [--image PNG] [--name TEXT] [--agency TEXT] [--code NUMBER/NOTATION] [--copy-kind "SAO Y"]
  [--page N --rect x1,y1,x2,y2] [--no-reserve] [--trust DIR]... [--tsa URL [--allow-no-timestamp]] [--json]`;
const verifyUsage = 'Usage: vanthu verify FILE [--trust DIR]... [--crl DIR]... [--ocsp [--ocsp-url URL]] [--data-dir DIR] [--json]';
const numberUsage = 'Usage: vanthu number FILE --number NN [--day DD] [--month MM] --out OUT [--json]';

/** assets/trust of this checkout or package (walks up from this file). */
export function bundledTrustDir(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i += 1) {
    const candidate = path.join(dir, 'assets', 'trust');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return undefined;
}

function trustFrom(values: { trust?: string[]; crl?: string[]; 'data-dir'?: string }): TrustStore {
  const base = defaultTrustSources({ bundled: bundledTrustDir(), dataDir: values['data-dir'] });
  return loadTrustStore({ certs: [...base.certs, ...(values.trust ?? [])], crls: [...base.crls, ...(values.crl ?? []), ...(values.trust ?? [])] });
}

function fail(write: Write, json: boolean, error: unknown): number {
  const value = toErrorValue(error);
  if (json) write(`${JSON.stringify({ ok: false, error: value })}\n`);
  else write(`error: ${value.message}${value.details ? ` ${JSON.stringify(value.details)}` : ''}\n`);
  return 1;
}

async function readPin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function parseRect(text: string): Rect {
  const n = text.split(',').map(Number);
  if (n.length !== 4 || n.some((x) => !Number.isFinite(x))) throw new AppError('INVALID_INPUT', '--rect must be x1,y1,x2,y2', { reason: 'BAD_RECT' });
  return n as Rect;
}

/** The certificate to sign with: the one asked for, else the token's only usable signing certificate. */
export function pickCertificate(token: TokenInfo, certId: string | undefined, now = new Date()): TokenCertificate {
  const usable = token.certificates.filter((c) => !c.isCa && c.keyVisible);
  const cert = certId ? token.certificates.find((c) => c.id === certId) : usable.find((c) => new Date(c.notAfter) > now && (!c.keyUsage || c.keyUsage.includes('digitalSignature') || c.keyUsage.includes('nonRepudiation')));
  if (!cert) throw new AppError('NOT_FOUND', 'No signing certificate on the token', { reason: 'CERT_NOT_FOUND', available: usable.map((c) => ({ id: c.id, subject: c.subject })) });
  if (new Date(cert.notAfter) < now) throw new AppError('FORBIDDEN', 'The certificate has expired', { reason: 'CERT_EXPIRED', notAfter: cert.notAfter });
  if (new Date(cert.notBefore) > now) throw new AppError('FORBIDDEN', 'The certificate is not valid yet', { reason: 'CERT_NOT_YET_VALID', notBefore: cert.notBefore });
  if (cert.keyUsage && !cert.keyUsage.includes('digitalSignature') && !cert.keyUsage.includes('nonRepudiation')) {
    throw new AppError('FORBIDDEN', 'The certificate is not for signing', { reason: 'CERT_NOT_FOR_SIGNING', keyUsage: cert.keyUsage });
  }
  return cert;
}

/** Issuing CAs for the CMS: from the token's own CA certificates and the trust store. */
export function chainFor(leaf: CertParts, pool: CertParts[]): Buffer[] {
  const chain: Buffer[] = [];
  let cur = leaf;
  for (let i = 0; i < 6 && !cur.issuer.equals(cur.subject); i += 1) {
    const next = pool.find((c) => c.subject.equals(cur.issuer) && !chain.some((d) => d.equals(c.der)));
    if (!next) break;
    chain.push(next.der);
    cur = next;
  }
  return chain;
}

export async function signCommand(argv: string[], write: Write, io: { stdin?: NodeJS.ReadableStream; env?: NodeJS.ProcessEnv } = {}): Promise<number> {
  const parsed = parseCommandLine(argv, {
    as: { type: 'string' },
    module: { type: 'string' },
    token: { type: 'string' },
    cert: { type: 'string' },
    'pin-stdin': { type: 'boolean', default: false },
    out: { type: 'string' },
    image: { type: 'string' },
    name: { type: 'string' },
    agency: { type: 'string' },
    code: { type: 'string' },
    'copy-kind': { type: 'string' },
    page: { type: 'string' },
    rect: { type: 'string' },
    'no-reserve': { type: 'boolean', default: false },
    trust: { type: 'string', multiple: true },
    'data-dir': { type: 'string' },
    tsa: { type: 'string' },
    'allow-no-timestamp': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  }, signUsage, write);
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  const file = positionals[0];
  const mode = values.as as AppearanceMode | undefined;
  if (!file || !values.out || !values.module || !values.token || !mode || !['signer', 'agency', 'appendix', 'copy'].includes(mode) || !values['pin-stdin']) {
    write(`${signUsage}\n`);
    return 2;
  }
  const env = io.env ?? process.env;
  const service = new TokenService({ modules: [values.module], workerPath: env['VANTHU_TOKEN_WORKER'] || undefined, env, pollMs: 0 });
  try {
    const pin = await readPin(io.stdin ?? process.stdin);
    if (!pin) throw new AppError('INVALID_INPUT', 'No PIN on standard input', { reason: 'PIN_MISSING' });
    const tokens = await service.listTokens();
    const token = tokens.find((t) => t.label === values.token);
    if (!token) throw new AppError('NOT_FOUND', `No token labelled "${values.token}"`, { reason: 'TOKEN_NOT_FOUND', tokens: tokens.map((t) => t.label) });
    const cert = pickCertificate(token, values.cert);
    const leaf = certParts(Buffer.from(cert.der, 'base64'));
    const trust = trustFrom(values);
    const pool = [...token.certificates.filter((c) => c.isCa).map((c) => certParts(Buffer.from(c.der, 'base64'))), ...trust.intermediates, ...trust.anchors];
    const signer = tokenSigner(service, token, cert, pin, chainFor(leaf, pool));
    const when = new Date();
    const options: SignPdfOptions = { input: file, output: values.out, signer, signingTime: when };
    if (values.tsa) {
      options.tsa = { url: values.tsa };
      options.allowWithoutTimestamp = values['allow-no-timestamp'];
    }
    const commonName = nameAttribute(leaf.subject, 'CN') ?? '';
    const image = values.image ? fs.readFileSync(values.image) : undefined;
    // --page and --rect win; without them, the automatic place (signing/placement.ts, as the app) or LAYOUT_NOT_FOUND
    const givenRect = values.rect ? parseRect(values.rect) : undefined;
    const givenPage = values.page ? Number(values.page) - 1 : undefined;
    const given: Placement | undefined = givenRect && givenPage !== undefined ? { page: givenPage, rect: givenRect } : undefined;
    if (mode === 'signer') {
      const layout = given && values['no-reserve'] ? undefined : await readLayout(file);
      const { page, rect } = given ?? (await automaticPlacement({ mode, source: file, signerName: values.name ?? commonName, layout }));
      const reserved = layout && !values['no-reserve'] ? numberFieldSlots(layout) : [];
      if (reserved.length) options.extend = reserveNumberFields(reserved);
      options.appearance = appearance({ mode, page, rect, image, lines: values.name ? [values.name] : [], color: [0.05, 0.15, 0.7] });
    } else if (mode === 'agency') {
      const agency = values.agency ?? commonName;
      const { page, rect } = given ?? (await automaticPlacement({ mode, source: file, sealImage: image }));
      options.appearance = appearance({ mode, page, rect, image, lines: [agency, vnIso(when)] });
    } else {
      if (image) throw new AppError('INVALID_INPUT', 'Appendix and copy signatures carry no image', { reason: 'APPEARANCE_NO_IMAGE' });
      const lines = stampLines(mode, { code: values.code ?? '', agency: values.agency ?? commonName, when, copyKind: values['copy-kind'] });
      const { page, rect } = given ?? (await automaticPlacement({ mode, source: file, lines }));
      options.appearance = appearance({ mode, page, rect, lines, fontSize: 10 });
    }
    const result = await signPdf(options);
    const summary = {
      ok: true,
      value: {
        output: result.output,
        field: result.fieldName,
        signer: commonName,
        mode,
        signingTime: vnIso(when),
        keyUsage: keyUsage(leaf),
        level: result.level,
        timestamp: result.timestamp,
        timestampError: result.timestampError,
      },
    };
    const note = result.timestampError ? ` — WITHOUT timestamp (${result.timestampError.message})` : result.timestamp ? `, timestamp ${result.timestamp.time}` : '';
    write(values.json ? `${JSON.stringify(summary)}\n` : `signed ${result.output} as ${mode} (${commonName}), PAdES ${result.level}${note}\n`);
    return 0;
  } catch (error) {
    return fail(write, values.json, error);
  } finally {
    await service.close();
  }
}

export async function numberCommand(argv: string[], write: Write): Promise<number> {
  const parsed = parseCommandLine(argv, { number: { type: 'string' }, day: { type: 'string' }, month: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean', default: false } }, numberUsage, write);
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  const file = positionals[0];
  if (!file || !values.out || !values.number) {
    write(`${numberUsage}\n`);
    return 2;
  }
  try {
    const r = await fillNumber({ input: file, output: values.out, values: { number: values.number, day: values.day, month: values.month } });
    write(values.json ? `${JSON.stringify({ ok: true, value: r })}\n` : `numbered ${r.output}\n`);
    return 0;
  } catch (error) {
    return fail(write, values.json, error);
  }
}

export async function verifyCommand(argv: string[], write: Write): Promise<number> {
  const parsed = parseCommandLine(argv, {
    trust: { type: 'string', multiple: true },
    crl: { type: 'string', multiple: true },
    ocsp: { type: 'boolean', default: false },
    'ocsp-url': { type: 'string' },
    'data-dir': { type: 'string' },
    json: { type: 'boolean', default: false },
  }, verifyUsage, write);
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  const file = positionals[0];
  if (!file) {
    write(`${verifyUsage}\n`);
    return 2;
  }
  if (!fs.existsSync(file)) return fail(write, values.json, new AppError('NOT_FOUND', `No such file: ${file}`));
  try {
    // answers are kept in <data-dir>/signing/ocsp (the app's cache too) when a data folder is named
    const dataDir = values['data-dir'];
    const ocsp: OcspOptions | undefined = values.ocsp
      ? { ...(values['ocsp-url'] ? { url: values['ocsp-url'] } : {}), ...(dataDir ? { cache: ocspFileCache(ocspCacheDir(dataDir)) } : {}) }
      : undefined;
    const report: VerifyReport = await verifyPdf(file, { trust: trustFrom(values), ...(ocsp ? { ocsp } : {}) });
    const allValid = report.signatures.length > 0 && report.signatures.every((s) => s.status === 'valid');
    if (values.json) write(`${JSON.stringify({ ok: true, value: report })}\n`);
    else {
      if (report.signatures.length === 0) write('no signatures\n');
      for (const s of report.signatures) {
        write(`#${s.index} ${s.fieldName}: ${s.status} — ${s.signer?.commonName ?? '?'} at ${s.signingTime ?? '?'} (${s.signingTimeSource ?? ''})\n`);
        for (const r of s.reasons) write(`    ${r}\n`);
        for (const o of s.ocsp ?? []) {
          const when = o.producedAt ? `, produced ${o.producedAt}${o.fromCache ? ', from cache' : ''}` : ` (${o.message ?? ''})`;
          write(`    OCSP ${o.certificate}: ${o.status}${when}\n`);
        }
      }
    }
    return allValid ? 0 : 1;
  } catch (error) {
    return fail(write, values.json, error);
  }
}
