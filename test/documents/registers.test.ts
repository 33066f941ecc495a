import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/api/dispatch.js';
import type { ApiInput, RegisterRow } from '../../src-main/api/contract.js';
import type { Page } from '../../src-main/api/types.js';
import type { AppServices } from '../../src-main/app/services.js';
import { registerIncoming } from '../../src-main/documents/incomingRegister.js';
import { issueDocument, saveDraft } from '../../src-main/documents/outgoingRegister.js';
import { listRegister, registerSql } from '../../src-main/documents/registers.js';
import { call } from '../call.js';
import { freshServices, incomingInput, typeId } from '../helpers.js';

async function list(s: AppServices, input: ApiInput<'registers:list'>): Promise<Page<RegisterRow>> {
  const result = await call(s.handlers, 'registers:list', input);
  if (!result.ok) throw new Error(`${result.error.code}: ${JSON.stringify(result.error.details)}`);
  return result.value;
}

function unitId(s: AppServices, shortName: string): number {
  return s.db.prepare('SELECT id FROM units WHERE short_name = ?').pluck().get(shortName) as number;
}

async function issue(s: AppServices, type: string, day: string, over: { confidentiality?: 0 | 1; drafting?: string } = {}) {
  const doc = await saveDraft(s.db, s.files, {
    typeId: typeId(s, type),
    subject: `${type} về công tác văn thư`,
    signerName: 'Nguyễn Văn An',
    signerPosition: 'Chủ tịch',
    recipients: 'Các sở, ban, ngành',
    draftingUnitId: unitId(s, over.drafting ?? 'VP'),
    urgency: 0,
    confidentiality: over.confidentiality ?? 0,
    note: null,
  });
  return issueDocument(s.db, { id: doc.id, documentDate: day }, new Date(`${day}T03:00:00Z`));
}

describe('sổ đăng ký văn bản đến (registers:list)', () => {
  it('gives the columns of Phụ lục IV in số đến order', async () => {
    const s = freshServices();
    await registerIncoming(s.db, s.files, incomingInput(s, { codeNumber: '7', arrivalDate: '2026-03-04', recipientUnitId: unitId(s, 'TCKH'), recipientPerson: 'Lê Văn Bình', note: 'Bản giấy' }));
    await registerIncoming(s.db, s.files, incomingInput(s, { codeNumber: '8', senderName: 'Sở Nội vụ', subject: 'Về việc tuyển dụng công chức', arrivalDate: '2026-03-05' }));
    const page = await list(s, { direction: 'incoming', year: 2026 });
    expect(page.total).toBe(2);
    expect(page.rows[0]).toMatchObject({
      number: '1',
      date: '2026-03-04', // ngày đến
      party: 'Sở Tài chính tỉnh Cao Bằng', // tác giả
      code: '7/STC-NS', // số, ký hiệu
      documentDate: '2026-03-02', // ngày tháng
      typeAndSubject: 'Công văn: Về việc quyết toán ngân sách năm 2025',
      handler: 'Phòng Tài chính - Kế hoạch – Lê Văn Bình', // đơn vị hoặc người nhận
      keptBy: '',
      note: 'Bản giấy',
      secret: false,
      status: 'registered',
    });
    expect(page.rows.map((r) => [r.number, r.party])).toEqual([
      ['1', 'Sở Tài chính tỉnh Cao Bằng'],
      ['2', 'Sở Nội vụ'],
    ]);
    expect(await list(s, { direction: 'incoming', year: 2025 })).toEqual({ rows: [], total: 0, offset: 0 });
  });

  it('keeps the secret series apart: ordinary, secret, or both with the secret numbers marked', async () => {
    const s = freshServices();
    for (const [code, confidentiality] of [['1', 0], ['2', 1], ['3', 0], ['4', 2]] as const) {
      await registerIncoming(s.db, s.files, incomingInput(s, { codeNumber: code, confidentiality }));
    }
    const ordinary = await list(s, { direction: 'incoming', year: 2026, series: 'ordinary' });
    expect(ordinary.rows.map((r) => [r.number, r.code, r.secret])).toEqual([
      ['1', '1/STC-NS', false],
      ['2', '3/STC-NS', false],
    ]);
    const secret = await list(s, { direction: 'incoming', year: 2026, series: 'secret' });
    expect(secret.rows.map((r) => [r.number, r.code, r.secret])).toEqual([
      ['1', '2/STC-NS', true],
      ['2', '4/STC-NS', true],
    ]);
    expect(secret.total).toBe(2);
    const both = await list(s, { direction: 'incoming', year: 2026 });
    expect(both.rows.map((r) => r.number)).toEqual(['1', '2', '1 (Mật)', '2 (Mật)']);
  });

  it('narrows by ngày đến (inclusive) and counts only that range', async () => {
    const s = freshServices();
    for (const [i, day] of ['2026-01-05', '2026-02-01', '2026-02-28', '2026-03-01'].entries()) {
      await registerIncoming(s.db, s.files, incomingInput(s, { codeNumber: String(i + 1), documentDate: '2026-01-02', arrivalDate: day }));
    }
    const february = await list(s, { direction: 'incoming', year: 2026, dateFrom: '2026-02-01', dateTo: '2026-02-28' });
    expect(february.total).toBe(2);
    expect(february.rows.map((r) => [r.number, r.date])).toEqual([
      ['2', '2026-02-01'],
      ['3', '2026-02-28'],
    ]);
    const from = await list(s, { direction: 'incoming', year: 2026, dateFrom: '2026-02-02' });
    expect(from.rows.map((r) => r.number)).toEqual(['3', '4']);
  });

  it('validates its input before listing', async () => {
    const s = freshServices();
    for (const input of [
      { direction: 'incoming', year: 2026, dateFrom: '2026-03-01', dateTo: '2026-02-01' },
      { direction: 'incoming', year: 2026, dateFrom: '01/02/2026' },
      { direction: 'incoming', year: 2026, series: 'all' },
      { direction: 'incoming', year: 2026, limit: 501 },
      { direction: 'incoming', year: 2026, secret: true },
      { direction: 'sideways', year: 2026 },
    ]) {
      const result = await dispatch(s.handlers, 'registers:list', input);
      expect(result.ok ? 'ok' : result.error.code, JSON.stringify(input)).toBe('INVALID_INPUT');
    }
  });

  it('keeps a cancelled document on its line (numbers are never reused)', async () => {
    const s = freshServices();
    const a = await registerIncoming(s.db, s.files, incomingInput(s, { codeNumber: '1' }));
    await registerIncoming(s.db, s.files, incomingInput(s, { codeNumber: '2' }));
    s.db.prepare("UPDATE documents SET status = 'cancelled' WHERE id = ?").run(a.id);
    const page = await list(s, { direction: 'incoming', year: 2026 });
    expect(page.rows.map((r) => [r.number, r.status])).toEqual([
      ['1', 'cancelled'],
      ['2', 'registered'],
    ]);
  });

  it('pages a register of 12,000 documents without a gap or a repeat, through the register index', () => {
    const s = freshServices();
    const type = typeId(s, 'Công văn');
    const insert = s.db.prepare(
      `INSERT INTO documents (direction, status, type_id, code_number, code_notation, document_date, subject, register_year, series,
         arrival_number, arrival_date, sender_name, created_at, updated_at)
       VALUES ('incoming', 'registered', ?, ?, 'STC-NS', ?, ?, 2026, 'in', ?, ?, 'Sở Tài chính', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
    );
    const count = 12_000;
    s.db.transaction(() => {
      // Inserted out of order: the register is in số đến order whatever the row ids are.
      for (let i = 0; i < count; i++) {
        const n = ((i * 7919) % count) + 1;
        const day = `2026-${String(1 + Math.floor((n - 1) / 1000)).padStart(2, '0')}-15`;
        insert.run(type, String(n), day, `Văn bản số ${n}`, n, day);
      }
    })();
    const seen: number[] = [];
    for (let offset = 0; offset < count; offset += 500) {
      const page = listRegister(s.db, { direction: 'incoming', year: 2026, offset, limit: 500 });
      expect(page.total).toBe(count);
      seen.push(...page.rows.map((r) => Number(r.number)));
    }
    expect(seen).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    for (const series of [undefined, 'ordinary'] as const) {
      const plan = s.db
        .prepare(`EXPLAIN QUERY PLAN ${registerSql({ direction: 'incoming', year: 2026, series }).page}`)
        .all({ year: 2026, limit: 100, offset: 5000 }) as Array<{ detail: string }>;
      const details = plan.map((p) => p.detail).join('\n');
      expect(details).toMatch(/SEARCH d USING (COVERING )?INDEX documents_arrival_number/);
      expect(details).not.toMatch(/TEMP B-TREE/);
    }
    const march = listRegister(s.db, { direction: 'incoming', year: 2026, series: 'ordinary', dateFrom: '2026-03-01', dateTo: '2026-03-31', offset: 0, limit: 3 });
    expect([march.total, march.rows.map((r) => r.number)]).toEqual([1000, ['2001', '2002', '2003']]);
  });
});

describe('sổ đăng ký văn bản đi (registers:list)', () => {
  it('gives số ký hiệu, người ký, nơi nhận and the unit keeping the file copy; drafts are not in it', async () => {
    const s = freshServices();
    await issue(s, 'Quyết định', '2026-04-02');
    await issue(s, 'Công văn', '2026-04-03', { drafting: 'TCKH' });
    await saveDraft(s.db, s.files, { typeId: typeId(s, 'Thông báo'), subject: 'Dự thảo', signerName: null, signerPosition: null, recipients: null, draftingUnitId: null, urgency: 0, confidentiality: 0, note: null });
    const page = await list(s, { direction: 'outgoing', year: 2026 });
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => [r.number, r.date, r.typeAndSubject, r.handler, r.party, r.keptBy])).toEqual([
      ['01/QĐ-UBND', '2026-04-02', 'Quyết định: Quyết định về công tác văn thư', 'Nguyễn Văn An', 'Các sở, ban, ngành', 'Văn phòng'],
      ['02/UBND-TCKH', '2026-04-03', 'Công văn: Công văn về công tác văn thư', 'Nguyễn Văn An', 'Các sở, ban, ngành', 'Phòng Tài chính - Kế hoạch'],
    ]);
  });

  it('separates the secret series and narrows by ngày văn bản', async () => {
    const s = freshServices();
    await issue(s, 'Quyết định', '2026-04-02');
    await issue(s, 'Quyết định', '2026-04-03', { confidentiality: 1 });
    await issue(s, 'Kế hoạch', '2026-05-04');
    expect((await list(s, { direction: 'outgoing', year: 2026, series: 'ordinary' })).rows.map((r) => r.number)).toEqual(['01/QĐ-UBND', '02/KH-UBND']);
    const secret = await list(s, { direction: 'outgoing', year: 2026, series: 'secret' });
    expect(secret.rows.map((r) => [r.number, r.secret])).toEqual([['01/QĐ-UBND', true]]);
    const april = await list(s, { direction: 'outgoing', year: 2026, series: 'ordinary', dateFrom: '2026-04-01', dateTo: '2026-04-30' });
    expect(april.rows.map((r) => r.number)).toEqual(['01/QĐ-UBND']);
  });

  it('lists a per-type scheme by series: each type in number order, ordinary before secret', async () => {
    const s = freshServices();
    await call(s.handlers, 'numbering:setScheme', { scheme: 'per-type' });
    await issue(s, 'Quyết định', '2026-04-02');
    await issue(s, 'Kế hoạch', '2026-04-02');
    await issue(s, 'Quyết định', '2026-04-03');
    await issue(s, 'Quyết định', '2026-04-03', { confidentiality: 1 });
    const ordinary = await list(s, { direction: 'outgoing', year: 2026, series: 'ordinary' });
    // Quyết định (type 2) before Kế hoạch (type 10): series compared as numbers, not as text.
    expect(ordinary.rows.map((r) => r.number)).toEqual(['01/QĐ-UBND', '02/QĐ-UBND', '01/KH-UBND']);
    expect((await list(s, { direction: 'outgoing', year: 2026, series: 'secret' })).total).toBe(1);
    expect((await list(s, { direction: 'outgoing', year: 2026 })).rows.at(-1)?.secret).toBe(true);
  });
});
