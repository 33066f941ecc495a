import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-main/api/errors.js';
import { registerIncoming } from '../../src-main/documents/incomingRegister.js';
import { simplePdf } from '../../src-main/documents/simplePdf.js';
import { verifyAuditChain } from '../../src-main/store/auditLog.js';
import { call } from '../call.js';
import { freshServices, incomingInput } from '../helpers.js';

describe('sổ văn bản đến', () => {
  it('assigns consecutive arrival numbers and writes an audit entry per registration', async () => {
    const s = freshServices();
    const numbers: Array<number | null> = [];
    for (let i = 1; i <= 3; i += 1) {
      const doc = await registerIncoming(s.db, s.files, incomingInput(s, { codeNumber: String(i) }));
      numbers.push(doc.arrivalNumber);
      expect(doc.status).toBe('registered');
      expect(doc.code).toBe(`${i}/STC-NS`);
    }
    expect(numbers).toEqual([1, 2, 3]);
    expect(s.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'incoming.register'").pluck().get()).toBe(3);
    expect(verifyAuditChain(s.db).ok).toBe(true);
  });

  it('restarts at 1 on 1 January in Asia/Ho_Chi_Minh, not in UTC', async () => {
    const s = freshServices();
    const input = { ...incomingInput(s), arrivalDate: undefined, documentDate: '2025-12-30' };
    // 31/12/2025 16:30 UTC = 23:30 in Hà Nội: still 2025.
    const lastOf2025 = await registerIncoming(s.db, s.files, { ...input, codeNumber: '1' }, new Date('2025-12-31T16:30:00Z'));
    const secondOf2025 = await registerIncoming(s.db, s.files, { ...input, codeNumber: '2' }, new Date('2025-12-31T16:50:00Z'));
    // 31/12/2025 17:30 UTC = 01/01/2026 00:30 in Hà Nội: the new year's register.
    const firstOf2026 = await registerIncoming(s.db, s.files, { ...input, codeNumber: '3' }, new Date('2025-12-31T17:30:00Z'));
    expect([lastOf2025.arrivalDate, lastOf2025.arrivalNumber]).toEqual(['2025-12-31', 1]);
    expect(secondOf2025.arrivalNumber).toBe(2);
    expect([firstOf2026.arrivalDate, firstOf2026.arrivalNumber]).toEqual(['2026-01-01', 1]);
  });

  it('keeps classified documents in a series of their own', async () => {
    const s = freshServices();
    const a = await registerIncoming(s.db, s.files, incomingInput(s, { codeNumber: '1' }));
    const secret = await registerIncoming(s.db, s.files, incomingInput(s, { codeNumber: '2', confidentiality: 1 }));
    const b = await registerIncoming(s.db, s.files, incomingInput(s, { codeNumber: '3' }));
    const secret2 = await registerIncoming(s.db, s.files, incomingInput(s, { codeNumber: '4', confidentiality: 2 }));
    expect([a.arrivalNumber, b.arrivalNumber]).toEqual([1, 2]);
    expect([secret.arrivalNumber, secret2.arrivalNumber]).toEqual([1, 2]);
  });

  it('flags a likely duplicate (same sender, số/ký hiệu, date) and registers it only when confirmed', async () => {
    const s = freshServices();
    const first = await registerIncoming(s.db, s.files, incomingInput(s));
    const again = incomingInput(s, { senderName: 'SỞ TÀI CHÍNH TỈNH CAO BẰNG', codeNotation: 'stc-ns' });
    const refused = await call(s.handlers, 'incoming:register', again);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('DUPLICATE_SUSPECTED');
    expect((refused.error.details as Array<{ id: number }>).map((d) => d.id)).toEqual([first.id]);
    expect(s.db.prepare('SELECT count(*) FROM documents').pluck().get()).toBe(1);
    const confirmed = await call(s.handlers, 'incoming:register', { ...again, confirmDuplicate: true });
    expect(confirmed.ok && confirmed.value.arrivalNumber).toBe(2);
  });

  it('stores the PDF content-addressed, links it, and indexes its text', async () => {
    const s = freshServices();
    const pdf = simplePdf(['Quyet dinh ve viec phe duyet ke hoach chuyen doi so tinh Cao Bang']);
    const doc = await registerIncoming(
      s.db,
      s.files,
      incomingInput(s, { file: { name: '../../etc/qd.pdf', dataBase64: pdf.toString('base64') } }),
    );
    expect(doc.files).toHaveLength(1);
    const [file] = doc.files;
    expect(file?.name).toBe('qd.pdf');
    expect(file?.mime).toBe('application/pdf');
    expect(s.files.read(file!.sha256).equals(pdf)).toBe(true);
    const found = await call(s.handlers, 'search:query', { text: 'chuyển đổi số' });
    expect(found.ok && found.value.rows.map((r) => r.id)).toEqual([doc.id]);
  });

  it('refuses a file that is not a PDF and leaves the store as it was', async () => {
    const s = freshServices();
    const before = s.db.prepare('SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM number_series)').raw().get();
    const result = await call(s.handlers, 'incoming:register', {
      ...incomingInput(s),
      file: { name: 'x.pdf', dataBase64: Buffer.from('MZ not a pdf').toString('base64') },
    });
    expect(result.ok ? 'ok' : result.error.code).toBe('FILE_NOT_PDF');
    expect(s.db.prepare('SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM number_series)').raw().get()).toEqual(before);
  });

  it('gives the number back when the registration fails inside its transaction', async () => {
    const s = freshServices();
    await registerIncoming(s.db, s.files, incomingInput(s, { codeNumber: '1' }));
    await expect(
      registerIncoming(s.db, s.files, incomingInput(s, { codeNumber: '2', recipientUnitId: 9999 })),
    ).rejects.toBeInstanceOf(AppError);
    s.db.exec("CREATE TEMP TRIGGER fail_fts BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
    await expect(registerIncoming(s.db, s.files, incomingInput(s, { codeNumber: '3' }))).rejects.toThrow(/disk full/);
    s.db.exec('DROP TRIGGER fail_fts');
    const next = await registerIncoming(s.db, s.files, incomingInput(s, { codeNumber: '4' }));
    expect(next.arrivalNumber).toBe(2);
    expect(s.db.prepare('SELECT count(*) FROM documents').pluck().get()).toBe(2);
  });

  it('rejects invalid input at the boundary with field details', async () => {
    const s = freshServices();
    const result = await call(s.handlers, 'incoming:register', { ...incomingInput(s), documentDate: '02/03/2026', subject: '' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_INPUT');
    expect((result.error.details as Array<{ path: string }>).map((d) => d.path).sort()).toEqual(['documentDate', 'subject']);
    const impossible = await call(s.handlers, 'incoming:register', { ...incomingInput(s), documentDate: '2026-02-30' });
    expect(impossible.ok ? 'ok' : impossible.error.code).toBe('INVALID_INPUT');
  });

  it('edits a registered document without touching its number, audited with before and after', async () => {
    const s = freshServices();
    const doc = await registerIncoming(s.db, s.files, incomingInput(s));
    const result = await call(s.handlers, 'documents:update', { id: doc.id, patch: { subject: 'Về việc quyết toán ngân sách năm 2025 (bổ sung)' } });
    expect(result.ok && [result.value.subject, result.value.arrivalNumber]).toEqual(['Về việc quyết toán ngân sách năm 2025 (bổ sung)', 1]);
    const detail = await call(s.handlers, 'documents:get', { id: doc.id });
    expect(detail.ok && detail.value.audit.map((a) => a.action)).toEqual(['incoming.register', 'incoming.update']);
    const moved = await call(s.handlers, 'documents:update', { id: doc.id, patch: { confidentiality: 1 } });
    expect(moved.ok ? 'ok' : moved.error.code).toBe('CONFLICT');
    const found = await call(s.handlers, 'search:query', { text: 'bo sung' });
    expect(found.ok && found.value.total).toBe(1);
  });
});

describe('numbering when registers are shared with the server', () => {
  it('numbers only the series whose lease this PC holds, and loses nothing when refused', async () => {
    const s = freshServices();
    s.db.prepare("INSERT INTO sync_state (key, value) VALUES ('shared_registers', '1')").run();
    const refused = await call(s.handlers, 'incoming:register', incomingInput(s));
    expect(refused.ok ? 'ok' : [refused.error.code, (refused.error.details as { reason: string }).reason]).toEqual(['CONFLICT', 'NO_LEASE']);
    expect(s.db.prepare('SELECT count(*) FROM documents').pluck().get()).toBe(0);
    s.db.prepare("INSERT INTO register_leases (year, series, acquired_at, start_number) VALUES (2026, 'in', '2026-03-01T00:00:00Z', 0)").run();
    const accepted = await call(s.handlers, 'incoming:register', incomingInput(s));
    expect(accepted.ok && accepted.value.arrivalNumber).toBe(1);
  });
});
