import { describe, expect, it } from 'vitest';
import { call } from '../call.js';
import { issueDocument, saveDraft } from '../../src-main/documents/outgoingRegister.js';
import { freshServices, typeId } from '../helpers.js';
import type { AppServices } from '../../src-main/app/services.js';

function draft(s: AppServices, type: string, over: { confidentiality?: 0 | 1 | 2 | 3; draftingUnitId?: number | null } = {}) {
  const unit = s.db.prepare("SELECT id FROM units WHERE short_name = 'VP'").pluck().get() as number;
  return saveDraft(s.db, s.files, {
    typeId: typeId(s, type),
    subject: `${type} về công tác văn thư`,
    signerName: 'Nguyễn Văn An',
    signerPosition: 'Chủ tịch',
    recipients: 'Các sở, ban, ngành',
    draftingUnitId: over.draftingUnitId === undefined ? unit : over.draftingUnitId,
    urgency: 0,
    confidentiality: over.confidentiality ?? 0,
    note: null,
  });
}

describe('sổ văn bản đi', () => {
  it('numbers at issuance: 01/QĐ-UBND, then 02/UBND-VP for a công văn in the same single series', async () => {
    const s = freshServices();
    const qd = await draft(s, 'Quyết định');
    expect([qd.status, qd.code]).toEqual(['draft', null]);
    const issued = issueDocument(s.db, { id: qd.id }, new Date('2026-03-05T02:00:00Z'));
    expect([issued.status, issued.code, issued.documentDate]).toEqual(['issued', '01/QĐ-UBND', '2026-03-05']);
    const cv = issueDocument(s.db, { id: (await draft(s, 'Công văn')).id }, new Date('2026-03-05T03:00:00Z'));
    expect(cv.code).toBe('02/UBND-VP');
  });

  it('runs a series per type when the scheme says so, and numbers ≥ 10 without a leading zero', async () => {
    const s = freshServices();
    await call(s.handlers, 'numbering:setScheme', { scheme: 'per-type' });
    const codes: Array<string | null> = [];
    for (let i = 0; i < 10; i += 1) codes.push(issueDocument(s.db, { id: (await draft(s, 'Quyết định')).id }).code);
    codes.push(issueDocument(s.db, { id: (await draft(s, 'Tờ trình')).id }).code);
    expect(codes.slice(0, 2)).toEqual(['01/QĐ-UBND', '02/QĐ-UBND']);
    expect(codes[9]).toBe('10/QĐ-UBND');
    expect(codes[10]).toBe('01/TTr-UBND');
  });

  it('numbers classified documents separately and restarts each year (Asia/Ho_Chi_Minh)', async () => {
    const s = freshServices();
    const a = issueDocument(s.db, { id: (await draft(s, 'Quyết định')).id }, new Date('2026-12-31T16:00:00Z'));
    const secret = issueDocument(s.db, { id: (await draft(s, 'Quyết định', { confidentiality: 1 })).id }, new Date('2026-12-31T16:10:00Z'));
    const nextYear = issueDocument(s.db, { id: (await draft(s, 'Quyết định')).id }, new Date('2026-12-31T17:10:00Z'));
    expect([a.code, a.documentDate]).toEqual(['01/QĐ-UBND', '2026-12-31']);
    expect(secret.code).toBe('01/QĐ-UBND');
    expect([nextYear.code, nextYear.documentDate]).toEqual(['01/QĐ-UBND', '2027-01-01']);
    const series = s.db.prepare('SELECT year, series, last_number FROM number_series ORDER BY year, series').raw().all();
    expect(series).toEqual([[2026, 'out', 1], [2026, 'out-secret', 1], [2027, 'out', 1]]);
  });

  it('never issues twice, never edits an issued document, never skips a number on refusal', async () => {
    const s = freshServices();
    const first = issueDocument(s.db, { id: (await draft(s, 'Quyết định')).id });
    const again = await call(s.handlers, 'outgoing:issue', { id: first.id });
    expect(again.ok ? 'ok' : again.error.code).toBe('CONFLICT');
    const edit = await call(s.handlers, 'outgoing:saveDraft', { id: first.id, typeId: first.typeId, subject: 'đổi' });
    expect(edit.ok ? 'ok' : edit.error.code).toBe('CONFLICT');
    const orphan = await draft(s, 'Công văn', { draftingUnitId: null });
    const refused = await call(s.handlers, 'outgoing:issue', { id: orphan.id });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('INVALID_INPUT');
    const second = issueDocument(s.db, { id: (await draft(s, 'Quyết định')).id });
    expect(second.code).toBe('02/QĐ-UBND');
  });

  it('lists the register of the year in number order', async () => {
    const s = freshServices();
    for (const type of ['Quyết định', 'Công văn', 'Kế hoạch']) issueDocument(s.db, { id: (await draft(s, type)).id }, new Date('2026-05-01T03:00:00Z'));
    await draft(s, 'Thông báo'); // a draft is not in the register
    const register = await call(s.handlers, 'registers:list', { direction: 'outgoing', year: 2026 });
    expect(register.ok && register.value.rows.map((r) => r.number)).toEqual(['01/QĐ-UBND', '02/UBND-VP', '03/KH-UBND']);
  });
});
