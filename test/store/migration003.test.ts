/**
 * Migration 3 (received_verifications) on a store written by version 2: documents,
 * files, exchange links and the audit chain come through untouched, a backup of the
 * version-2 file is kept, and the new table takes verdicts (and refuses unknown ones).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../src-main/documents/documentRows.js';
import { appendAudit, verifyAuditChain } from '../../src-main/store/auditLog.js';
import { backupDir, closeDatabase, databasePath, openDatabase } from '../../src-main/store/database.js';
import { latestVersion, migrations } from '../../src-main/store/migrations/index.js';
import { documentsToVerify } from '../../src-main/sync/receivedSignatures.js';
import { tempDir } from '../helpers.js';

/** A store as version 2 left it: migrations 1 and 2 only, with an agency's documents. */
function versionTwoStore(dir: string): void {
  const db = new Database(databasePath(dir));
  db.pragma('foreign_keys = ON');
  for (const m of migrations.filter((x) => x.version <= 2)) {
    db.transaction(() => {
      db.exec(m.sql);
      m.seed?.(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  const typeId = db.prepare("SELECT id FROM document_types WHERE name = 'Công văn'").pluck().get() as number;
  const insert = db.prepare(
    `INSERT INTO documents (direction, status, type_id, code_number, code_notation, document_date, subject, sender_name, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, '2026-03-02', ?, ?, '2026-03-02T03:00:00.000Z', '2026-03-02T03:00:00.000Z')`,
  );
  db.transaction(() => {
    for (let i = 1; i <= 30; i += 1) {
      const id = Number(insert.run(i % 3 === 0 ? 'outgoing' : 'incoming', i % 2 ? 'pending' : 'registered', typeId, String(i), 'STC-NS', `Về việc quyết toán ngân sách ${i}`, 'Sở Tài chính').lastInsertRowid);
      appendAudit(db, { actor: 'test', action: 'incoming.register', entity: 'document', entityId: id, payload: { i } });
    }
    db.prepare("INSERT INTO files (sha256, size, mime) VALUES (?, 10, 'application/pdf')").run('a'.repeat(64));
    db.prepare("INSERT INTO document_files (document_id, sha256, name, role) VALUES (1, ?, 'cv.pdf', 'main')").run('a'.repeat(64));
    db.prepare(
      "INSERT INTO exchange_documents (document_id, edxml_document_id, sender_code, direction, promulgation_date, code) VALUES (1, 'X,2026/03/02,1/STC-NS', '000.00.12.H14', 'incoming', '2026-03-02', '1/STC-NS')",
    ).run();
  })();
  db.close();
}

describe('migration 3: received_verifications', () => {
  it('migrates a version-2 store with documents to version 3, data intact', () => {
    const dir = tempDir();
    versionTwoStore(dir);
    const raw = new Database(databasePath(dir), { readonly: true });
    const before = {
      documents: raw.prepare('SELECT * FROM documents ORDER BY id').all(),
      audit: raw.prepare('SELECT * FROM audit_log ORDER BY id').all(),
      files: raw.prepare('SELECT * FROM document_files').all(),
      exchange: raw.prepare('SELECT * FROM exchange_documents').all(),
    };
    raw.close();

    expect(latestVersion).toBeGreaterThanOrEqual(3);
    const db = openDatabase(dir);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion);
    expect(db.prepare('SELECT * FROM documents ORDER BY id').all()).toEqual(before.documents);
    expect(db.prepare('SELECT * FROM audit_log ORDER BY id').all()).toEqual(before.audit);
    expect(db.prepare('SELECT * FROM document_files').all()).toEqual(before.files);
    expect(db.prepare('SELECT * FROM exchange_documents').all()).toEqual(before.exchange);
    expect(verifyAuditChain(db)).toEqual({ ok: true, rows: 30 });
    expect(fs.readdirSync(backupDir(dir)).some((f) => f.startsWith('before-v3-'))).toBe(true);

    // The new table: empty, documents read as not verified yet, then a verdict shows.
    expect(db.prepare('SELECT count(*) FROM received_verifications').pluck().get()).toBe(0);
    expect(loadDocument(db, 1)?.receivedSignature).toBeNull();
    // Migration 5 queued the received document for its first verification.
    expect(documentsToVerify(db, 10)).toEqual([{ documentId: 1, sha256: 'a'.repeat(64) }]);
    db.prepare(
      "INSERT INTO received_verifications (document_id, sha256, verdict, summary, details, verified_at) VALUES (1, ?, 'unsigned', 'The PDF carries no signature', '{\"signatures\":[],\"reason\":null}', '2026-03-03T03:00:00.000Z')",
    ).run('a'.repeat(64));
    expect(loadDocument(db, 1)?.receivedSignature).toEqual({ verdict: 'unsigned', summary: 'The PDF carries no signature', verifiedAt: '2026-03-03T03:00:00.000Z' });
    expect(() =>
      db.prepare("INSERT INTO received_verifications (document_id, sha256, verdict, summary, details, verified_at) VALUES (2, 'b', 'good', '', '{}', 'x')").run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db.prepare("INSERT INTO received_verifications (document_id, sha256, verdict, summary, details, verified_at) VALUES (999, 'b', 'valid', '', '{}', 'x')").run(),
    ).toThrow(/FOREIGN KEY/);
    closeDatabase(db, dir);
  });
});
