import { describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditChain } from '../../src-main/store/auditLog.js';
import { openDatabase, closeDatabase } from '../../src-main/store/database.js';
import { tempDir } from '../helpers.js';

function withLog(rows: number) {
  const dir = tempDir();
  const db = openDatabase(dir);
  for (let i = 0; i < rows; i += 1) {
    appendAudit(db, { actor: 'Văn thư', action: 'test', entity: 'document', entityId: i, payload: { i } });
  }
  return { db, close: () => closeDatabase(db, dir) };
}

/** What someone with the file (not the app) could do: drop the guards, then tamper. */
function dropGuards(db: ReturnType<typeof openDatabase>): void {
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
}

describe('audit log', () => {
  it('verifies an intact chain', () => {
    const { db, close } = withLog(5);
    expect(verifyAuditChain(db)).toEqual({ ok: true, rows: 5 });
    close();
  });

  it('refuses updates and deletes through SQL', () => {
    const { db, close } = withLog(2);
    expect(() => db.prepare("UPDATE audit_log SET actor = 'x' WHERE id = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE id = 1').run()).toThrow(/append-only/);
    close();
  });

  it('detects an edited row', () => {
    const { db, close } = withLog(4);
    dropGuards(db);
    db.prepare("UPDATE audit_log SET payload = '{\"i\":99}' WHERE id = 2").run();
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, brokenAtId: 2, reason: 'row content changed' });
    close();
  });

  it('detects a deleted middle row and a deleted last row', () => {
    const middle = withLog(4);
    dropGuards(middle.db);
    middle.db.prepare('DELETE FROM audit_log WHERE id = 2').run();
    expect(verifyAuditChain(middle.db)).toMatchObject({ ok: false, brokenAtId: 3 });
    middle.close();

    const last = withLog(4);
    dropGuards(last.db);
    last.db.prepare('DELETE FROM audit_log WHERE id = 4').run();
    expect(verifyAuditChain(last.db)).toMatchObject({ ok: false, reason: 'latest rows missing' });
    last.close();
  });
});
