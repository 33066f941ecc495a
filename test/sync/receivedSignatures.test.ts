/**
 * Signatures of received documents: agency A sends PDFs over the reference server, B
 * receives them as chờ tiếp nhận and verifies them after the pull with the app's offline
 * verifier (test PKI trust anchors and CRLs): a valid signature, the same PDF with one
 * byte changed, an unsigned PDF, a signer outside the trust store, a file that cannot be
 * read. Verdicts reach the document record and the list; a second run does nothing; the
 * audit chain holds. Then the app wiring: after `sync:now` the controller checks by itself.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentRecord } from '../../src-main/api/types.js';
import type { AppServices } from '../../src-main/app/services.js';
import { offlineVerifyOptions } from '../../src-main/app/signingHandlers.js';
import { loadDocument } from '../../src-main/documents/documentRows.js';
import { issueDocument, saveDraft } from '../../src-main/documents/outgoingRegister.js';
import { listDocuments } from '../../src-main/documents/search.js';
import { simplePdf } from '../../src-main/documents/simplePdf.js';
import { pemToDer } from '../../src-main/signing/der.js';
import { signPdf, type PdfSigner } from '../../src-main/signing/pades.js';
import { verifyPdf } from '../../src-main/signing/verify.js';
import { verifyAuditChain } from '../../src-main/store/auditLog.js';
import { queueSendOutgoing } from '../../src-main/sync/exchange.js';
import { loadTrustStore } from '../../src-main/signing/trust.js';
import { documentsToVerify, requeueAfterTrustChange, trustFingerprint, verifyReceivedDocuments } from '../../src-main/sync/receivedSignatures.js';
import { call } from '../call.js';
import { keyOf, makePki, tempDir, type Pki } from '../signing/helpers.js';
import { agencyA, agencyB, client, clientStore, password, settle, startBench, tempDir as benchDir, today } from './harness.js';

let pki: Pki;
let dir: string;
const pdfs: Record<'valid' | 'tampered' | 'unsigned' | 'outsider' | 'lost', Buffer> = {} as never;

function signerFrom(keyPem: string, certPem: string, chain: Buffer[]): PdfSigner {
  const key = crypto.createPrivateKey(keyPem);
  return {
    certificate: pemToDer(certPem)[0] as Buffer,
    chain,
    keyType: key.asymmetricKeyType === 'ec' ? 'ec' : 'rsa',
    sign: async (d: Buffer) => crypto.sign('sha256', d, key),
  };
}

async function signed(text: string, signer: PdfSigner): Promise<Buffer> {
  const input = path.join(dir, `${crypto.randomUUID()}.pdf`);
  const output = `${input}.signed.pdf`;
  fs.writeFileSync(input, simplePdf([text]));
  await signPdf({ input, output, signer });
  return fs.readFileSync(output);
}

/** The PKI's anchors and CRLs, as an administrator puts them in the app's trust folders. */
const trust = () => ({ certs: [pki.ca.root, pki.ca.chain], crls: [pki.ca.issuingCrl, pki.ca.rootCrl] });
let outsiderCert = '';

beforeAll(async () => {
  pki = makePki();
  dir = tempDir('vanthu-received-');
  const a = keyOf(pki, 'nguyenvana');
  const issuing = pemToDer(fs.readFileSync(pki.ca.issuing, 'utf8'));
  pdfs.valid = await signed('Quyet dinh ve viec phan bo ngan sach dot 1', signerFrom(fs.readFileSync(a.key, 'utf8'), fs.readFileSync(a.cert, 'utf8'), issuing));
  // One byte of the signed content changed after signing ("dot 1" → "dot 7").
  const tampered = Buffer.from(pdfs.valid);
  const at = tampered.indexOf('ngan sach dot 1');
  expect(at).toBeGreaterThan(0);
  tampered[at + 'ngan sach dot '.length] = '7'.charCodeAt(0);
  pdfs.tampered = tampered;
  pdfs.unsigned = simplePdf(['Cong van khong co chu ky so']);
  pdfs.lost = simplePdf(['Cong van se bi mat tep']);
  // A self-signed certificate nobody put in the trust store.
  const key = path.join(dir, 'outsider.key.pem');
  const cert = (outsiderCert = path.join(dir, 'outsider.cert.pem'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '3650', '-utf8', '-subj', '/C=VN/O=Don vi la/CN=Người Lạ Mặt'], { stdio: 'ignore' });
  pdfs.outsider = await signed('Van ban ky boi nguoi la', signerFrom(fs.readFileSync(key, 'utf8'), fs.readFileSync(cert, 'utf8'), []));
}, 90_000);

afterAll(() => {
  fs.rmSync(pki.dir, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

/** An issued outgoing document of A with the given PDF as its main file. */
async function issuedWith(services: AppServices, subject: string, pdf: Buffer): Promise<number> {
  const typeId = services.db.prepare("SELECT id FROM document_types WHERE name = 'Quyết định'").pluck().get() as number;
  const draft = await saveDraft(services.db, services.files, {
    typeId,
    subject,
    signerName: 'Nguyễn Văn A',
    signerPosition: 'Chủ tịch',
    recipients: 'Như trên',
    draftingUnitId: null,
    urgency: 0,
    confidentiality: 0,
    note: null,
    file: { name: `${subject}.pdf`, dataBase64: pdf.toString('base64') },
  });
  return issueDocument(services.db, { id: draft.id, documentDate: today }, new Date()).id;
}

function receivedBySubject(services: AppServices): Map<string, DocumentRecord> {
  const ids = services.db.prepare("SELECT id FROM documents WHERE direction = 'incoming' ORDER BY id").pluck().all() as number[];
  return new Map(ids.map((id) => loadDocument(services.db, id) as DocumentRecord).map((d) => [d.subject, d]));
}

describe('signatures of received documents', () => {
  it('valid, modified after signing, unsigned, untrusted signer, unreadable: each verdict once, in the record, the list and the audit log', async () => {
    const server = await startBench();
    const a = client(server, agencyA, { engine: { isSigned: () => true } });
    const b = client(server, agencyB);
    await settle(a.engine);
    for (const kind of Object.keys(pdfs) as Array<keyof typeof pdfs>) {
      queueSendOutgoing(a.engine.ctx, await issuedWith(a.services, kind, pdfs[kind]), [agencyB.code]);
    }
    await settle(a.engine);
    await settle(b.engine);
    const db = b.services.db;
    const received = receivedBySubject(b.services);
    expect([...received.keys()].sort()).toEqual(['lost', 'outsider', 'tampered', 'unsigned', 'valid']);
    for (const d of received.values()) {
      expect(d.status).toBe('pending');
      expect(d.receivedSignature).toBeNull(); // not verified inside the pull
    }
    // The file of one received document disappears from the store before the check.
    const lostSha = received.get('lost')?.files[0]?.sha256 as string;
    fs.rmSync(b.services.files.pathOf(lostSha));
    expect(documentsToVerify(db, 100)).toHaveLength(5);

    const auditBefore = db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number;
    const verify = (file: string) => verifyPdf(file, offlineVerifyOptions(b.services.dataDir, { trust: trust() }));
    const at = new Date();
    expect(await verifyReceivedDocuments(db, b.services.files, { verify, now: () => at })).toBe(5);

    const after = receivedBySubject(b.services);
    expect(after.get('valid')?.receivedSignature).toEqual({
      verdict: 'valid',
      signer: 'Nguyễn Văn A',
      summary: '1 signature, valid: Nguyễn Văn A',
      verifiedAt: at.toISOString(),
    });
    expect(after.get('tampered')?.receivedSignature).toMatchObject({ verdict: 'invalid', signer: 'Nguyễn Văn A', reason: 'integrity' });
    expect(after.get('tampered')?.receivedSignature?.summary).toMatch(/document bytes do not match/);
    expect(after.get('unsigned')?.receivedSignature).toMatchObject({ verdict: 'unsigned', summary: 'The PDF carries no signature' });
    expect(after.get('unsigned')?.receivedSignature?.signer).toBeUndefined();
    expect(after.get('outsider')?.receivedSignature).toMatchObject({ verdict: 'indeterminate', signer: 'Người Lạ Mặt', reason: 'chain' });
    expect(after.get('lost')?.receivedSignature).toMatchObject({ verdict: 'indeterminate', reason: 'unreadable' });
    expect(after.get('lost')?.receivedSignature?.summary).toMatch(/could not be read/);

    // Stored per document with the file's SHA-256 and the per-signature details.
    const row = db.prepare('SELECT sha256, verdict, details FROM received_verifications WHERE document_id = ?').get(after.get('valid')?.id) as {
      sha256: string;
      verdict: string;
      details: string;
    };
    expect(row.sha256).toBe(crypto.createHash('sha256').update(pdfs.valid).digest('hex'));
    expect(JSON.parse(row.details)).toMatchObject({ reason: null, signatures: [{ index: 1, signer: 'Nguyễn Văn A', verdict: 'valid', reasons: [] }] });
    expect((JSON.parse(row.details) as { signatures: Array<{ signingTime: string }> }).signatures[0]?.signingTime).toMatch(/\+07:00$/);

    // The pending list carries the verdicts (one LEFT JOIN on the primary key).
    const list = listDocuments(db, { filters: { direction: 'incoming', status: 'pending' }, sort: 'newest', offset: 0, limit: 50 });
    expect(Object.fromEntries(list.rows.map((r) => [r.subject, r.receivedSignature?.verdict]))).toEqual({
      valid: 'valid',
      tampered: 'invalid',
      unsigned: 'unsigned',
      outsider: 'indeterminate',
      lost: 'indeterminate',
    });

    // One audit entry per verdict, in the chain.
    const entries = db.prepare("SELECT entity_id, payload FROM audit_log WHERE action = 'exchange.signaturesVerified' ORDER BY id").all() as Array<{ entity_id: number; payload: string }>;
    expect(entries).toHaveLength(5);
    expect(JSON.parse(entries.find((e) => e.entity_id === after.get('tampered')?.id)?.payload ?? '{}')).toMatchObject({ verdict: 'invalid' });
    expect(db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(auditBefore + 5);

    // Again: nothing new to verify, nothing written.
    expect(documentsToVerify(db, 100)).toEqual([]);
    expect(await verifyReceivedDocuments(db, b.services.files, { verify, now: () => new Date() })).toBe(0);
    expect(db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(auditBefore + 5);
    expect(receivedBySubject(b.services).get('valid')?.receivedSignature?.verifiedAt).toBe(at.toISOString());
    expect(verifyAuditChain(db)).toEqual({ ok: true, rows: auditBefore + 5 });

    // An administrator adds the outsider's certificate to the trust store: the documents that
    // could not be judged are checked again (the others keep their verdicts).
    expect(requeueAfterTrustChange(db, trustFingerprint(loadTrustStore(trust())))).toBe(0); // first run: remembered only
    expect(requeueAfterTrustChange(db, trustFingerprint(loadTrustStore(trust())))).toBe(0);
    const wider = () => ({ ...trust(), certs: [...trust().certs, outsiderCert] });
    expect(requeueAfterTrustChange(db, trustFingerprint(loadTrustStore(wider())))).toBe(2); // outsider and lost
    expect(receivedBySubject(b.services).get('outsider')?.receivedSignature).toBeNull();
    const verifyWider = (file: string) => verifyPdf(file, offlineVerifyOptions(b.services.dataDir, { trust: wider() }));
    expect(await verifyReceivedDocuments(db, b.services.files, { verify: verifyWider })).toBe(2);
    const again = receivedBySubject(b.services);
    expect(again.get('outsider')?.receivedSignature?.reason).not.toBe('chain');
    expect(again.get('lost')?.receivedSignature).toMatchObject({ verdict: 'indeterminate', reason: 'unreadable' });
    expect(again.get('valid')?.receivedSignature?.verifiedAt).toBe(at.toISOString());
    expect(verifyAuditChain(db)).toEqual({ ok: true, rows: auditBefore + 7 });
  });

  it('stops between documents when asked, and a new main file version is verified again', async () => {
    const server = await startBench();
    const a = client(server, agencyA, { engine: { isSigned: () => true } });
    const b = client(server, agencyB);
    await settle(a.engine);
    queueSendOutgoing(a.engine.ctx, await issuedWith(a.services, 'valid', pdfs.valid), [agencyB.code]);
    queueSendOutgoing(a.engine.ctx, await issuedWith(a.services, 'unsigned', pdfs.unsigned), [agencyB.code]);
    await settle(a.engine);
    await settle(b.engine);
    const db = b.services.db;
    let calls = 0;
    const verify = (file: string) => {
      calls += 1;
      return verifyPdf(file, offlineVerifyOptions(b.services.dataDir, { trust: trust() }));
    };
    expect(await verifyReceivedDocuments(db, b.services.files, { verify, shouldStop: () => calls >= 1 })).toBe(0);
    expect(db.prepare('SELECT count(*) FROM received_verifications').pluck().get()).toBe(0);
    expect(await verifyReceivedDocuments(db, b.services.files, { verify, limit: 1 })).toBe(1);
    expect(await verifyReceivedDocuments(db, b.services.files, { verify })).toBe(1);

    // The clerk's copy of the unsigned one replaces its main file: its verdict no longer shows, and it is checked again.
    const unsigned = receivedBySubject(b.services).get('unsigned') as DocumentRecord;
    const replacement = pdfs.tampered;
    const sha = b.services.files.put(replacement);
    db.transaction(() => {
      db.prepare("INSERT OR IGNORE INTO files (sha256, size, mime) VALUES (?, ?, 'application/pdf')").run(sha, replacement.length);
      db.prepare('DELETE FROM document_files WHERE document_id = ?').run(unsigned.id);
      db.prepare("INSERT INTO document_files (document_id, sha256, name, role) VALUES (?, ?, 'copy.pdf', 'main')").run(unsigned.id, sha);
    })();
    expect(loadDocument(db, unsigned.id)?.receivedSignature).toBeNull();
    expect(documentsToVerify(db, 10)).toEqual([{ documentId: unsigned.id, sha256: sha }]);
    expect(await verifyReceivedDocuments(db, b.services.files, { verify })).toBe(1);
    expect(loadDocument(db, unsigned.id)?.receivedSignature?.verdict).toBe('invalid');
    expect(db.prepare('SELECT count(*) FROM received_verifications').pluck().get()).toBe(2);
    expect(verifyAuditChain(db).ok).toBe(true);
  });

  it('in the app: after sync:now the controller verifies what arrived, and again when the administrator fills the trust folders', async () => {
    const server = await startBench();
    const a = client(server, agencyA);
    await settle(a.engine);
    queueSendOutgoing(a.engine.ctx, await issuedWith(a.services, 'valid', pdfs.valid), [agencyB.code]);
    await settle(a.engine);

    const dataDir = benchDir(); // removed after the test, once the store is closed
    // The administrator's trust folders (as assets/trust/README tells), empty at first.
    const trustDir = path.join(dataDir, 'signing', 'trust');
    const crlDir = path.join(dataDir, 'signing', 'crl');
    fs.mkdirSync(trustDir, { recursive: true });
    fs.mkdirSync(crlDir, { recursive: true });
    const b = clientStore(agencyB, dataDir);
    const configured = await call(b.handlers, 'sync:configure', { serverUrl: server.url, username: 'vanthu', password });
    expect(configured.ok).toBe(true);
    const run = await call(b.handlers, 'sync:now', {});
    expect(run.ok && run.value.received).toBe(1);
    // The round did not wait for the check; the controller's run finishes it: no trusted root yet.
    await b.sync.verifyReceived();
    const verdicts = async () => {
      const list = await call(b.handlers, 'documents:list', { filters: { direction: 'incoming', status: 'pending' }, sort: 'newest', offset: 0, limit: 10 });
      expect(list.ok).toBe(true);
      return (list.ok ? list.value.rows : []).map((r) => [r.subject, r.receivedSignature?.verdict, r.receivedSignature?.signer]);
    };
    expect(await verdicts()).toEqual([['valid', 'indeterminate', 'Nguyễn Văn A']]);
    // Nothing queued, folders unchanged: a run has nothing to do.
    expect(await b.sync.verifyReceived()).toBe(0);
    // The administrator installs the roots and CRLs: the next run sees the folders changed and settles it.
    fs.copyFileSync(pki.ca.root, path.join(trustDir, 'root.pem'));
    fs.copyFileSync(pki.ca.issuing, path.join(trustDir, 'issuing.pem'));
    fs.copyFileSync(pki.ca.issuingCrl, path.join(crlDir, 'issuing.crl'));
    fs.copyFileSync(pki.ca.rootCrl, path.join(crlDir, 'root.crl'));
    expect(await b.sync.verifyReceived()).toBe(1);
    expect(await verdicts()).toEqual([['valid', 'valid', 'Nguyễn Văn A']]);
    const rows = await call(b.handlers, 'documents:list', { filters: { direction: 'incoming' }, sort: 'newest', offset: 0, limit: 1 });
    const id = rows.ok ? rows.value.rows[0]!.id : 0;
    const detail = await call(b.handlers, 'documents:get', { id });
    expect(detail.ok && detail.value.receivedSignature?.verdict).toBe('valid');
    expect(await b.sync.verifyReceived()).toBe(0);
    await b.sync.stop();
  });
});
