/**
 * The signing channels through `dispatch` on a real store, with SoftHSM2 tokens
 * (test PKI) and a Chromium-printed decision: list tokens, the signer's signature
 * (number fields reserved), the agency's after issuance (number filled first), verify,
 * and the failures — wrong PIN, expired certificate, token gone, changed after signing —
 * each with its stable code, the store unchanged, and the PIN in no result or log line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../src-main/api/dispatch.js';
import { openServices, type AppServices } from '../../src-main/app/services.js';
import { completeSetup } from '../../src-main/documents/masterData.js';
import { issueDocument } from '../../src-main/documents/outgoingRegister.js';
import { findSignatures } from '../../src-main/signing/changes.js';
import { readLayout } from '../../src-main/signing/layout.js';
import { PdfStream, dict } from '../../src-main/signing/pdf/objects.js';
import { PdfFile } from '../../src-main/signing/pdf/reader.js';
import { IncrementalUpdate } from '../../src-main/signing/pdf/writer.js';
import { buildWorker, chromiumPdf, makePki, pdfsig, tempDir, type Pki } from '../signing/helpers.js';
import { ok, refused } from './appCalls.js';
import { decisionDraft } from './drafts.js';

vi.hoisted(() => {
  process.env['VANTHU_LOG_LEVEL'] = 'debug';
});

let pki: Pki;
let workerPath: string;
let pdfDir: string;
let source: Buffer;
const opened: AppServices[] = [];
const dirs: string[] = [];
let logged = '';
const realWrite = process.stderr.write.bind(process.stderr);

beforeAll(() => {
  pki = makePki();
  workerPath = buildWorker();
  pdfDir = tempDir();
  source = fs.readFileSync(chromiumPdf(pdfDir, 2));
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    logged += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return realWrite(chunk, ...rest);
  }) as typeof process.stderr.write;
}, 90_000);

afterEach(async () => {
  for (const s of opened.splice(0)) await s.shutdown();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

afterAll(() => {
  process.stderr.write = realWrite;
  fs.rmSync(pki.dir, { recursive: true, force: true });
  fs.rmSync(pdfDir, { recursive: true, force: true });
});

function services(): AppServices {
  const dataDir = tempDir('vanthu-app-sign-');
  dirs.push(dataDir);
  const s = openServices({
    dataDir,
    host: 'cli',
    signing: {
      modules: [pki.module],
      workerPath,
      env: pki.env,
      trust: { certs: [pki.ca.root, pki.ca.chain], crls: [pki.ca.issuingCrl, pki.ca.rootCrl] },
    },
  });
  opened.push(s);
  completeSetup(s.db, {
    agency: { name: 'Ủy ban nhân dân tỉnh Cao Bằng', shortName: 'UBND', code: '000.00.00.H14', place: 'Cao Bằng' },
    units: [{ name: 'Văn phòng', shortName: 'VP' }],
    user: { fullName: 'Đặng Thị Hằng', position: 'Văn thư', unitIndex: 0 },
  });
  return s;
}

function draft(s: AppServices, pdf: Buffer = source, signerName: string | null = 'Nguyễn Văn A') {
  return decisionDraft(s, pdf, { signerName });
}

/** What a failed signature must not change. */
function snapshot(s: AppServices) {
  return {
    files: s.db.prepare('SELECT document_id, sha256, name, role FROM document_files ORDER BY document_id, sha256').all(),
    audit: s.db.prepare('SELECT count(*) FROM audit_log').pluck().get(),
    updated: s.db.prepare('SELECT id, updated_at FROM documents ORDER BY id').all(),
    stored: fs.readdirSync(path.join(s.dataDir, 'files'), { recursive: true }).length,
    temp: fs.existsSync(path.join(s.dataDir, 'signing', 'tmp')) ? fs.readdirSync(path.join(s.dataDir, 'signing', 'tmp')) : [],
  };
}

async function tokenOf(s: AppServices, label: string) {
  const list = await ok(s, 'signing:listTokens', {});
  const token = list.tokens.find((t) => t.label === label);
  if (!token) throw new Error(`no token ${label}`);
  return token;
}

describe('signing channels', () => {
  it('lists tokens and their signing certificates with expiry warnings', async () => {
    const s = services();
    const list = await ok(s, 'signing:listTokens', {});
    expect(list.modules.map((m) => m.path)).toContain(pki.module);
    const a = list.tokens.find((t) => t.label === 'NGUYEN VAN A');
    expect(a?.certificates.map((c) => c.id).sort()).toEqual(['01', '02', '03', '04']);
    const own = a?.certificates.find((c) => c.id === '01');
    expect(own?.commonName).toBe('Nguyễn Văn A');
    expect(own?.usable).toBe(true);
    expect(own?.warning).toBeNull();
    const expired = a?.certificates.find((c) => c.id === '02');
    expect(expired?.warning).toBe('expired');
    expect(expired?.usable).toBe(false);
    expect(a?.certificates.find((c) => c.id === '04')?.warning).toBe('notForSigning');
  });

  it('signer → issue → agency: each signature a new file version with its audit entry; verify says valid', async () => {
    const s = services();
    const doc = await draft(s);
    const before = doc.files[0]?.sha256;
    const person = await tokenOf(s, 'NGUYEN VAN A');

    const early = await refused(s, 'signing:sign', { documentId: doc.id, as: 'agency', tokenSerial: person.serial, certId: '01', pin: '123456' });
    expect(early.code).toBe('CONFLICT');
    expect(early.details).toMatchObject({ reason: 'NOT_ISSUED' });

    const signed = await ok(s, 'signing:sign', { documentId: doc.id, as: 'signer', tokenSerial: person.serial, certId: '01', pin: '123456' });
    expect(signed.previousSha256).toBe(before);
    expect(signed.sha256).not.toBe(before);
    expect(signed.signer).toBe('Nguyễn Văn A');
    expect(signed.document.files.map((f) => [f.sha256, f.name])).toEqual([[signed.sha256, 'qd-chuyen-doi-so.pdf']]);
    expect(s.files.has(before ?? '')).toBe(true); // the earlier version stays in the store
    const audit = s.db.prepare("SELECT payload FROM audit_log WHERE action = 'signing.sign'").pluck().all() as string[];
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0] ?? '{}')).toMatchObject({ mode: 'signer', previous: before, sha256: signed.sha256 });

    const verified = await ok(s, 'signing:verify', { documentId: doc.id });
    expect(verified.signatures).toHaveLength(1);
    expect(verified.signatures[0]?.status).toBe('valid');
    expect(verified.signatures[0]?.signer?.commonName).toBe('Nguyễn Văn A');

    issueDocument(s.db, { id: doc.id, documentDate: '2026-03-05' }, new Date('2026-03-05T02:00:00Z'));
    const seal = await tokenOf(s, 'UBND CAO BANG');
    const issued = await ok(s, 'signing:sign', { documentId: doc.id, as: 'agency', tokenSerial: seal.serial, certId: '01', pin: '654321' });
    expect(issued.filled.sort()).toEqual(['vanthu_ngay', 'vanthu_so', 'vanthu_thang']);
    const both = await ok(s, 'signing:verify', { sha256: issued.sha256 });
    expect(both.signatures.map((x) => x.status)).toEqual(['valid', 'valid']);
    const judge = pdfsig(s.files.pathOf(issued.sha256));
    expect(judge.signatures.map((x) => x.valid)).toEqual([true, true]);
  }, 60_000);

  it('wrong PIN, expired certificate, removed token: stable codes, store unchanged, PIN nowhere', async () => {
    const s = services();
    const doc = await draft(s);
    const person = await tokenOf(s, 'NGUYEN VAN A');
    const before = snapshot(s);
    logged = '';
    const secret = '987654321';

    const wrong = await dispatch(s.handlers, 'signing:sign', { documentId: doc.id, as: 'signer', tokenSerial: person.serial, certId: '01', pin: secret });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) {
      expect(wrong.error.code).toBe('PIN_INCORRECT');
      expect(wrong.error.details).toMatchObject({ pin: { locked: false } });
    }
    const expired = await dispatch(s.handlers, 'signing:sign', { documentId: doc.id, as: 'signer', tokenSerial: person.serial, certId: '02', pin: secret });
    expect(expired.ok ? 'ok' : expired.error.code).toBe('CERT_EXPIRED');
    const gone = await dispatch(s.handlers, 'signing:sign', { documentId: doc.id, as: 'signer', tokenSerial: 'NO-SUCH-SERIAL', certId: '01', pin: secret });
    expect(gone.ok ? 'ok' : gone.error.code).toBe('TOKEN_REMOVED');
    const invalid = await dispatch(s.handlers, 'signing:sign', { documentId: doc.id, as: 'signer', tokenSerial: person.serial, certId: 'zz', pin: secret, extra: secret });
    expect(invalid.ok ? 'ok' : invalid.error.code).toBe('INVALID_INPUT');

    for (const r of [wrong, expired, gone, invalid]) expect(JSON.stringify(r)).not.toContain(secret);
    expect(logged).not.toContain(secret);
    expect(logged).toContain('signing refused'); // the log saw the failures, without the PIN
    expect(snapshot(s)).toEqual(before);
  }, 60_000);

  it('refuses to sign a PDF changed after its last signature (MODIFIED_AFTER_SIGNATURE), store unchanged', async () => {
    const s = services();
    const doc = await draft(s);
    const person = await tokenOf(s, 'NGUYEN VAN A');
    const signed = await ok(s, 'signing:sign', { documentId: doc.id, as: 'signer', tokenSerial: person.serial, certId: '01', pin: '123456' });
    // A shadow change: an incremental update that rewrites the page after the signature.
    const file = s.files.pathOf(signed.sha256);
    const tampered = await draft(s, Buffer.concat([fs.readFileSync(file), tamperUpdate(file)]));
    const before = snapshot(s);
    const r = await refused(s, 'signing:sign', { documentId: tampered.id, as: 'appendix', tokenSerial: person.serial, certId: '01', pin: '123456' });
    expect(r.code).toBe('MODIFIED_AFTER_SIGNATURE');
    expect(snapshot(s)).toEqual(before);
    const report = await ok(s, 'signing:verify', { documentId: tampered.id });
    expect(report.signatures[0]?.status).not.toBe('valid');
  }, 60_000);

  it('verify: a document without PDF, an unknown file, bad input', async () => {
    const s = services();
    expect((await refused(s, 'signing:verify', { documentId: 999 })).code).toBe('NOT_FOUND');
    expect((await refused(s, 'signing:verify', { sha256: 'a'.repeat(64) })).code).toBe('NOT_FOUND');
    expect((await refused(s, 'signing:verify', { documentId: 1, sha256: 'a'.repeat(64) })).code).toBe('INVALID_INPUT');
    const doc = await draft(s);
    const unsigned = await ok(s, 'signing:verify', { documentId: doc.id });
    expect(unsigned.signatures).toEqual([]);
  });
});

/** Page index and /Rect of the signature widgets of a stored file, read back with the signing module's reader. */
function widgets(file: string): { page: number | undefined; rect: number[] | undefined }[] {
  const pdf = PdfFile.open(file);
  try {
    return findSignatures(pdf).map((sig) => ({ page: sig.pageIndex, rect: sig.rect }));
  } finally {
    pdf.close();
  }
}

function expectRect(actual: readonly number[] | undefined, expected: readonly number[]): void {
  expect(actual).toHaveLength(4);
  expected.forEach((v, i) => expect(actual?.[i]).toBeCloseTo(v, 1));
}

describe('signature placement', () => {
  it('signer: the automatic box lies between the position line and the name, and signing without a placement puts it there', async () => {
    const s = services();
    const doc = await draft(s);
    const place = await ok(s, 'signing:placement', { documentId: doc.id, as: 'signer' });
    expect(place).toMatchObject({ page: 2, auto: true, sha256: doc.files[0]?.sha256 });
    expect(place.reason).toBeUndefined();
    expect(place.pageSize.width).toBeGreaterThan(500);
    expect(place.pageSize.height).toBeGreaterThan(700);

    const layout = await readLayout(s.files.pathOf(doc.files[0]?.sha256 ?? ''));
    const onLast = layout.items.filter((i) => i.page === 1);
    const name = onLast.find((i) => i.str.includes('Nguyễn Văn A'));
    const title = onLast.find((i) => i.str.includes('PHÓ CHỦ TỊCH'));
    if (!name || !title) throw new Error('signer block text not found');
    const [x1, y1, x2, y2] = place.rect;
    expect(y1).toBeGreaterThan(name.y + name.height * 0.5); // above the name
    expect(y2).toBeLessThan(title.y); // below the position line
    expect(Math.abs((x1 + x2) / 2 - (name.x + name.width / 2))).toBeLessThan(2); // centred on the name
    expect(x2 - x1).toBeGreaterThan(40);

    const person = await tokenOf(s, 'NGUYEN VAN A');
    const signed = await ok(s, 'signing:sign', { documentId: doc.id, as: 'signer', tokenSerial: person.serial, certId: '01', pin: '123456' });
    const [widget] = widgets(s.files.pathOf(signed.sha256));
    expect(widget?.page).toBe(place.page - 1);
    expectRect(widget?.rect, place.rect);

    // after the signer signed: the agency's seal goes over the left part of that signature (still automatic)
    const seal = await ok(s, 'signing:placement', { documentId: doc.id, as: 'agency' });
    expect(seal).toMatchObject({ page: 2, auto: true, sha256: signed.sha256 });
    expect(seal.rect[2]).toBeGreaterThan(x1);
    expect(seal.rect[2]).toBeLessThan(x2);
  }, 60_000);

  it('a placement given to signing:sign is where the widget goes (page and /Rect)', async () => {
    const s = services();
    const doc = await draft(s);
    const person = await tokenOf(s, 'NGUYEN VAN A');
    const moved: [number, number, number, number] = [72.5, 300, 242.5, 377];
    const signed = await ok(s, 'signing:sign', { documentId: doc.id, as: 'signer', tokenSerial: person.serial, certId: '01', pin: '123456', placement: { page: 1, rect: moved } });
    const found = widgets(s.files.pathOf(signed.sha256));
    expect(found).toHaveLength(1);
    expect(found[0]?.page).toBe(0);
    expectRect(found[0]?.rect, moved);
    const verified = await ok(s, 'signing:verify', { sha256: signed.sha256 });
    expect(verified.signatures.map((x) => [x.status, x.pageIndex])).toEqual([['valid', 0]]);

    const copy = await ok(s, 'signing:sign', { documentId: doc.id, as: 'copy', tokenSerial: person.serial, certId: '01', pin: '123456', placement: { page: 2, rect: [300, 100, 500, 160] } });
    const both = widgets(s.files.pathOf(copy.sha256));
    expect(both[1]?.page).toBe(1);
    expectRect(both[1]?.rect, [300, 100, 500, 160]);
  }, 60_000);

  it('no layout to follow: a default place (auto: false, LAYOUT_NOT_FOUND); signing without a placement still refuses', async () => {
    const s = services();
    const unnamed = await draft(s, source, 'Lê Thị Không Có');
    const place = await ok(s, 'signing:placement', { documentId: unnamed.id, as: 'signer' });
    expect(place).toMatchObject({ page: 2, auto: false, reason: 'LAYOUT_NOT_FOUND' });
    const [x1, y1, x2, y2] = place.rect;
    expect(x2).toBeLessThanOrEqual(place.pageSize.width); // bottom right, inside the page
    expect(x1).toBeGreaterThan(place.pageSize.width / 2);
    expect(y1).toBeGreaterThan(0);
    expect(y2).toBeLessThan(place.pageSize.height / 2);

    // the seal before any signer signature: bottom right of the last page too
    const seal = await ok(s, 'signing:placement', { documentId: unnamed.id, as: 'agency' });
    expect(seal).toMatchObject({ page: 2, auto: false, reason: 'LAYOUT_NOT_FOUND' });
    // appendix / copy: always top right of page 1
    const copy = await ok(s, 'signing:placement', { documentId: unnamed.id, as: 'copy' });
    expect(copy).toMatchObject({ page: 1, auto: true });
    expect(copy.rect[3]).toBeGreaterThan(copy.pageSize.height - 20);

    const person = await tokenOf(s, 'NGUYEN VAN A');
    const refusedSign = await refused(s, 'signing:sign', { documentId: unnamed.id, as: 'signer', tokenSerial: person.serial, certId: '01', pin: '123456' });
    expect(refusedSign.code).toBe('NOT_FOUND');
    expect(refusedSign.details).toMatchObject({ reason: 'LAYOUT_NOT_FOUND' });
  }, 60_000);

  it("signer not named on the document: the block is found by the certificate's name when a token is given", async () => {
    const s = services();
    const doc = await draft(s, source, null);
    const blind = await ok(s, 'signing:placement', { documentId: doc.id, as: 'signer' });
    expect(blind.auto).toBe(false);
    const person = await tokenOf(s, 'NGUYEN VAN A');
    const byCert = await ok(s, 'signing:placement', { documentId: doc.id, as: 'signer', tokenSerial: person.serial, certId: '01' });
    expect(byCert).toMatchObject({ page: 2, auto: true });
    expect((await refused(s, 'signing:placement', { documentId: 999, as: 'signer' })).code).toBe('NOT_FOUND');
    expect((await refused(s, 'signing:placement', { documentId: doc.id, as: 'stamp' })).code).toBe('INVALID_INPUT');
  }, 60_000);
});

/** An incremental update replacing page 1's content after the signature (a shadow change). */
function tamperUpdate(file: string): Buffer {
  const pdf = PdfFile.open(file);
  try {
    const pageRef = pdf.pages()[0];
    const page = pdf.dictAt(pageRef);
    if (!pageRef || !page) throw new Error('no page');
    const update = new IncrementalUpdate(pdf);
    const contents = update.add(new PdfStream(dict({}), Buffer.from('BT /F1 40 Tf 100 500 Td (FAKE) Tj ET')));
    update.set(pageRef, page.clone().set('Contents', contents));
    return update.build().bytes;
  } finally {
    pdf.close();
  }
}
