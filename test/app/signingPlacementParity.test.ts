/**
 * `vanthu sign` and the app (`signing:placement`, `signing:sign` without a placement) put a
 * signature of the same role on the same PDF at the same rectangle: both go through
 * signing/placement.ts. Same Chromium-printed decision, same SoftHSM2 tokens, for the
 * signer, the agency (after the signer), the copy and the appendix stamps.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../src-main/api/channels.js';
import type { ApiInput, ApiResult } from '../../src-main/api/contract.js';
import { documentCode } from '../../src-main/app/signingHandlers.js';
import { openServices, type AppServices } from '../../src-main/app/services.js';
import { signCommand } from '../../src-main/cli/signCommands.js';
import { completeSetup } from '../../src-main/documents/masterData.js';
import { issueDocument } from '../../src-main/documents/outgoingRegister.js';
import { findSignatures } from '../../src-main/signing/changes.js';
import { PdfFile } from '../../src-main/signing/pdf/reader.js';
import { callOk } from '../call.js';
import { buildWorker, chromiumPdf, makePki, tempDir, type Pki } from '../signing/helpers.js';
import { decisionDraft } from './drafts.js';

const agencyName = 'Ủy ban nhân dân tỉnh Cao Bằng';
let pki: Pki;
let dir: string;
let source: string;
let env: NodeJS.ProcessEnv;
let s: AppServices;

beforeAll(() => {
  pki = makePki();
  dir = tempDir();
  source = chromiumPdf(dir, 2);
  const workerPath = buildWorker();
  env = { ...pki.env, VANTHU_TOKEN_WORKER: workerPath };
  s = openServices({
    dataDir: path.join(dir, 'data'),
    host: 'cli',
    signing: { modules: [pki.module], workerPath, env: pki.env, trust: { certs: [pki.ca.root, pki.ca.chain], crls: [pki.ca.issuingCrl, pki.ca.rootCrl] } },
  });
  completeSetup(s.db, {
    agency: { name: agencyName, shortName: 'UBND', code: '000.00.00.H14', place: 'Cao Bằng' },
    units: [{ name: 'Văn phòng', shortName: 'VP' }],
    user: { fullName: 'Đặng Thị Hằng', position: 'Văn thư', unitIndex: 0 },
  });
}, 90_000);

afterAll(async () => {
  await s.shutdown();
  fs.rmSync(pki.dir, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

async function ok<C extends Channel>(channel: C, input: ApiInput<C>): Promise<ApiResult<C>> {
  return callOk(s.handlers, channel, input);
}

/** `vanthu sign FILE --as MODE … --out OUT` with the token's PIN on stdin; the output file. */
async function cliSign(file: string, mode: string, token: string, pin: string, extra: string[] = []): Promise<string> {
  const out = path.join(dir, `cli-${mode}-${path.basename(file)}`);
  let written = '';
  const args = [file, '--as', mode, '--module', pki.module, '--token', token, '--cert', '01', '--pin-stdin', '--out', out, '--trust', pki.ca.chain, '--json', ...extra];
  const code = await signCommand(args, (t) => (written += t), { stdin: Readable.from([pin]), env });
  expect(code, written).toBe(0);
  return out;
}

/** The last signature widget of a PDF: 0-based page and /Rect. */
function lastWidget(file: string): { page: number | undefined; rect: number[] | undefined } {
  const pdf = PdfFile.open(file);
  try {
    const sig = findSignatures(pdf).at(-1);
    return { page: sig?.pageIndex, rect: sig?.rect };
  } finally {
    pdf.close();
  }
}

/** Same page, same rectangle (the channel rounds to 0.01 pt). */
function expectSamePlace(cli: ReturnType<typeof lastWidget>, app: { page: number; rect: readonly number[] }): void {
  expect(cli.page).toBe(app.page - 1);
  expect(cli.rect).toHaveLength(4);
  app.rect.forEach((v, i) => expect(cli.rect?.[i]).toBeCloseTo(v, 1));
}

async function serialOf(label: string): Promise<string> {
  const list = await ok('signing:listTokens', {});
  const token = list.tokens.find((t) => t.label === label);
  if (!token) throw new Error(`no token ${label}`);
  return token.serial;
}

describe('CLI and app place a signature alike', () => {
  it('signer, then agency, copy and appendix: the CLI widget lies where the app places (and signs) it', async () => {
    const doc = await decisionDraft(s, fs.readFileSync(source), { fileName: 'qd.pdf' });

    // signer: the certificate's CN is the document's signer, "Nguyễn Văn A"
    const signerPlace = await ok('signing:placement', { documentId: doc.id, as: 'signer' });
    expect(signerPlace.auto).toBe(true);
    expectSamePlace(lastWidget(await cliSign(source, 'signer', 'NGUYEN VAN A', '123456')), signerPlace);
    const person = await serialOf('NGUYEN VAN A');
    const signed = await ok('signing:sign', { documentId: doc.id, as: 'signer', tokenSerial: person, certId: '01', pin: '123456' });
    const appSigned = s.files.pathOf(signed.sha256);
    expectSamePlace(lastWidget(appSigned), signerPlace);

    // agency: the seal over the signer's signature of the same file
    issueDocument(s.db, { id: doc.id, documentDate: '2026-03-05' }, new Date('2026-03-05T02:00:00Z'));
    const sealPlace = await ok('signing:placement', { documentId: doc.id, as: 'agency' });
    expect(sealPlace).toMatchObject({ auto: true, sha256: signed.sha256 });
    expectSamePlace(lastWidget(await cliSign(appSigned, 'agency', 'UBND CAO BANG', '654321', ['--agency', agencyName])), sealPlace);
    const seal = await serialOf('UBND CAO BANG');
    const issued = await ok('signing:sign', { documentId: doc.id, as: 'agency', tokenSerial: seal, certId: '01', pin: '654321' });
    expectSamePlace(lastWidget(s.files.pathOf(issued.sha256)), sealPlace);

    // copy and appendix stamps: the same text lines (số/ký hiệu, agency) make the same box, top right of page 1
    const code = documentCode(issued.document);
    expect(code).toMatch(/^\d+\/QĐ-UBND$/);
    for (const mode of ['copy', 'appendix'] as const) {
      const place = await ok('signing:placement', { documentId: doc.id, as: mode });
      expect(place.auto).toBe(true);
      expectSamePlace(lastWidget(await cliSign(source, mode, 'NGUYEN VAN A', '123456', ['--code', code, '--agency', agencyName])), place);
    }
  }, 120_000);
});
