/**
 * `signing:verify` offline and with `ocsp: true` through `dispatch`, on a stored signed
 * PDF, against a local OCSP responder: offline says "cannot tell" (only the root CRL is
 * cached) and asks nothing; online says valid with the answer's time; asked again with
 * the responder stopped, the answer comes from `<dataDir>/signing/ocsp`; with no cached
 * answer and no responder the verdict stays "cannot tell" with the failure's class.
 * The new field is validated (a boolean, nothing else).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiInput } from '../../src-main/api/contract.js';
import { dispatch } from '../../src-main/api/dispatch.js';
import type { VerifyResult } from '../../src-main/api/types.js';
import { openServices, type AppServices } from '../../src-main/app/services.js';
import { completeSetup } from '../../src-main/documents/masterData.js';
import { saveDraft } from '../../src-main/documents/outgoingRegister.js';
import { ocspCacheDir } from '../../src-main/signing/ocspCache.js';
import { call } from '../call.js';
import { chromiumPdf, closedPort, makePki, tempDir, type Pki } from '../signing/helpers.js';
import { signedBy, startOcspResponder } from '../signing/ocspFixtures.js';

let pki: Pki;
let dir: string;
let signed: Buffer;
const opened: AppServices[] = [];

beforeAll(async () => {
  pki = makePki();
  dir = tempDir();
  signed = fs.readFileSync(await signedBy(pki, 'nguyenvana', chromiumPdf(dir, 1), dir));
}, 60_000);
afterAll(async () => {
  for (const s of opened) {
    await s.shutdown();
    fs.rmSync(s.dataDir, { recursive: true, force: true });
  }
  fs.rmSync(pki.dir, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A store holding the signed PDF as a document's file; OCSP asked at `url`. */
async function storeWithSignedPdf(url: string): Promise<{ s: AppServices; sha256: string; documentId: number }> {
  const s = openServices({
    dataDir: tempDir('vanthu-app-ocsp-'),
    host: 'cli',
    signing: { modules: [], trust: { certs: [pki.ca.root], crls: [pki.ca.rootCrl] }, ocsp: { url, timeoutMs: 5000 } },
  });
  opened.push(s);
  completeSetup(s.db, {
    agency: { name: 'Ủy ban nhân dân tỉnh Cao Bằng', shortName: 'UBND', code: '000.00.00.H14', place: 'Cao Bằng' },
    units: [{ name: 'Văn phòng', shortName: 'VP' }],
    user: { fullName: 'Đặng Thị Hằng', position: 'Văn thư', unitIndex: 0 },
  });
  const typeId = s.db.prepare("SELECT id FROM document_types WHERE name = 'Quyết định'").pluck().get() as number;
  const doc = await saveDraft(s.db, s.files, {
    typeId,
    subject: 'Kế hoạch',
    signerName: null,
    signerPosition: null,
    recipients: null,
    draftingUnitId: null,
    urgency: 0,
    confidentiality: 0,
    note: null,
    file: { name: 'signed.pdf', dataBase64: signed.toString('base64') },
  });
  return { s, sha256: doc.files[0]?.sha256 ?? '', documentId: doc.id };
}

async function verify(s: AppServices, input: ApiInput<'signing:verify'>): Promise<VerifyResult> {
  const r = await call(s.handlers, 'signing:verify', input);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

describe('signing:verify online (OCSP)', () => {
  it('offline first, then online; asked again with the responder stopped, answered from the cache', async () => {
    const responder = await startOcspResponder(pki);
    const { s, sha256, documentId } = await storeWithSignedPdf(responder.url);
    try {
      const offline = await verify(s, { sha256 });
      expect(offline.online).toBe(false);
      expect(offline.signatures.map((x) => [x.status, x.ocsp])).toEqual([['indeterminate', null]]);
      expect(responder.requests).toBe(0);

      const online = await verify(s, { sha256, ocsp: true });
      expect(online.online).toBe(true);
      const first = online.signatures[0];
      expect(first?.status, first?.reasons.join('; ')).toBe('valid');
      expect(first?.ocsp).toEqual([
        expect.objectContaining({ status: 'good', fromCache: false, failure: null, message: null, producedAt: expect.stringMatching(/\+07:00$/) }),
      ]);
      expect(responder.requests).toBe(1);
      expect(fs.readdirSync(ocspCacheDir(s.dataDir))).toHaveLength(1);

      await responder.close();
      const again = await verify(s, { documentId, ocsp: true });
      expect(again.signatures[0]?.status).toBe('valid');
      expect(again.signatures[0]?.ocsp?.[0]).toMatchObject({ status: 'good', fromCache: true, producedAt: first?.ocsp?.[0]?.producedAt });
    } finally {
      await responder.close();
    }
  }, 60_000);

  it('responder unreachable and nothing cached: still "cannot tell", with why', async () => {
    const { s, sha256 } = await storeWithSignedPdf(`http://127.0.0.1:${await closedPort()}/ocsp`);
    const r = await verify(s, { sha256, ocsp: true });
    const sig = r.signatures[0];
    expect(sig?.status).toBe('indeterminate');
    expect(sig?.checks.find((c) => c.name === 'revocation')?.state).toBe('unknown');
    expect(sig?.ocsp).toEqual([expect.objectContaining({ status: 'unknown', fromCache: false, failure: 'unreachable', producedAt: null, message: expect.stringMatching(/cannot be reached/) })]);
    expect(fs.existsSync(ocspCacheDir(s.dataDir)) ? fs.readdirSync(ocspCacheDir(s.dataDir)) : []).toEqual([]);
  }, 60_000);

  it('the ocsp field must be a boolean', async () => {
    const { s, sha256, documentId } = await storeWithSignedPdf('http://127.0.0.1:1/ocsp');
    for (const input of [{ sha256, ocsp: 'yes' }, { documentId, ocsp: 1 }, { sha256, ocsp: null }]) {
      const r = await dispatch(s.handlers, 'signing:verify', input);
      expect(r.ok ? 'ok' : r.error.code).toBe('INVALID_INPUT');
    }
    expect((await verify(s, { sha256, ocsp: false })).online).toBe(false);
  });
});
