import { describe, expect, it } from 'vitest';
import type { ApiInput } from '../../src-main/api/contract.js';
import { registerIncoming } from '../../src-main/documents/incomingRegister.js';
import { call } from '../call.js';
import { freshServices, incomingInput, typeId } from '../helpers.js';
import type { AppServices } from '../../src-main/app/services.js';

async function seed(s: AppServices) {
  const docs = [
    { codeNumber: '1', subject: 'Về việc triển khai đường dây nóng phòng chống thiên tai', senderName: 'Ban Chỉ huy PCTT tỉnh', urgency: 3 as const },
    { codeNumber: '2', subject: 'Kế hoạch đào tạo bồi dưỡng cán bộ công chức năm 2026', senderName: 'Sở Nội vụ', urgency: 0 as const },
    { codeNumber: '3', subject: 'Quyết định phê duyệt dự toán ngân sách', senderName: 'Sở Tài chính', urgency: 1 as const, typeId: typeId(s, 'Quyết định') },
    { codeNumber: '4', subject: 'Giấy mời họp Đảng ủy khối', senderName: 'Đảng ủy khối các cơ quan', urgency: 0 as const, arrivalDate: '2026-05-20', documentDate: '2026-05-19' },
  ];
  const ids: number[] = [];
  for (const d of docs) ids.push((await registerIncoming(s.db, s.files, incomingInput(s, d))).id);
  return ids;
}

async function search(s: AppServices, input: ApiInput<'search:query'>) {
  const r = await call(s.handlers, 'search:query', input);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('search', () => {
  it('finds Vietnamese text typed without accents, đ included', async () => {
    const s = freshServices();
    const [pctt, , , dang] = await seed(s);
    expect((await search(s, { text: 'duong day nong' })).rows.map((r) => r.id)).toEqual([pctt]);
    expect((await search(s, { text: 'dang uy' })).rows.map((r) => r.id)).toEqual([dang]);
    expect((await search(s, { text: 'ĐẢNG ỦY' })).rows.map((r) => r.id)).toEqual([dang]);
  });

  it('matches NFD input against NFC text and the other way round', async () => {
    const s = freshServices();
    const [pctt] = await seed(s);
    expect((await search(s, { text: 'phòng chống thiên tai'.normalize('NFD') })).rows.map((r) => r.id)).toEqual([pctt]);
    const nfd = await registerIncoming(s.db, s.files, incomingInput(s, { codeNumber: '9', subject: 'Tờ trình sáp nhập xã'.normalize('NFD') }));
    expect((await search(s, { text: 'sáp nhập'.normalize('NFC') })).rows.map((r) => r.id)).toEqual([nfd.id]);
  });

  it('matches prefixes while typing, and searches số/ký hiệu and sender', async () => {
    const s = freshServices();
    const [, daotao, qd] = await seed(s);
    expect((await search(s, { text: 'dao ta' })).rows.map((r) => r.id)).toEqual([daotao]);
    expect((await search(s, { text: '3/STC' })).rows.map((r) => r.id)).toEqual([qd]);
    expect((await search(s, { text: 'so noi vu' })).rows.map((r) => r.id)).toEqual([daotao]);
  });

  it('applies filters, sort and paging', async () => {
    const s = freshServices();
    const ids = await seed(s);
    const urgent = await search(s, { text: '', filters: { urgency: 3 } });
    expect(urgent.rows.map((r) => r.id)).toEqual([ids[0]]);
    expect((await search(s, { text: 'du toan', filters: { typeId: typeId(s, 'Công văn') } })).total).toBe(0);
    const byType = await search(s, { text: 'du toan', filters: { typeId: typeId(s, 'Quyết định') } });
    expect(byType.rows.map((r) => r.id)).toEqual([ids[2]]);
    const may = await search(s, { text: '', filters: { dateFrom: '2026-05-01', dateTo: '2026-05-31' } });
    expect(may.rows.map((r) => r.id)).toEqual([ids[3]]);
    const sender = await search(s, { text: '', filters: { sender: 'tai chinh' } });
    expect(sender.rows.map((r) => r.id)).toEqual([ids[2]]);
    const page1 = await search(s, { text: '', sort: 'oldest', limit: 2, offset: 0 });
    const page2 = await search(s, { text: '', sort: 'oldest', limit: 2, offset: 2 });
    expect([page1.total, ...page1.rows.map((r) => r.id), ...page2.rows.map((r) => r.id)]).toEqual([4, ...ids]);
  });

  it('treats FTS syntax typed by the user as words, not operators', async () => {
    const s = freshServices();
    await seed(s);
    const r = await call(s.handlers, 'search:query', { text: 'NEAR(" OR * -' });
    expect(r.ok).toBe(true);
  });

  it('returns a snippet of the body around the match', async () => {
    const s = freshServices();
    const db = s.db;
    const doc = await registerIncoming(db, s.files, incomingInput(s, { codeNumber: '7', subject: 'Công văn' }));
    const { indexDocument, setBodyText } = await import('../../src-main/documents/documentRows.js');
    setBodyText(db, doc.id, 'Mở đầu. '.repeat(30) + 'Đề nghị Kho bạc Nhà nước tỉnh thanh toán.');
    indexDocument(db, doc.id);
    const hit = (await search(s, { text: 'kho bac' })).rows[0];
    expect(hit?.snippet).toContain('Kho bạc Nhà nước');
  });
});

describe('search at scale', () => {
  it('stops counting at the cap and says the total is a lower bound; short lists are exact', async () => {
    const s = freshServices();
    const { registerIncomingRecord } = await import('../../src-main/documents/incomingRegister.js');
    const { searchCountCap } = await import('../../src-main/documents/search.js');
    const base = incomingInput(s);
    s.db.transaction(() => {
      for (let i = 0; i < searchCountCap + 20; i += 1) {
        registerIncomingRecord(s.db, { ...base, codeNumber: String(i), subject: `Báo cáo tiến độ giải ngân đợt ${i}`, arrivalDate: '2026-03-04', bodyText: '', upload: null, sha256: null });
      }
    })();
    const many = await search(s, { text: 'giai ngan', limit: 50 });
    expect([many.total, many.totalIsLowerBound, many.rows.length]).toEqual([searchCountCap, true, 50]);
    const ids = many.rows.map((r) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a)); // newest first within the tier
    const few = await search(s, { text: 'giai ngan dot 51' });
    expect(few.totalIsLowerBound).toBe(false);
    expect(few.rows.map((r) => r.subject)).toContain('Báo cáo tiến độ giải ngân đợt 51');
  });
});

describe('deep list pages', () => {
  it('return exactly what OFFSET returns, with filters, before and after a write', async () => {
    const s = freshServices();
    const { registerIncomingRecord } = await import('../../src-main/documents/incomingRegister.js');
    const { listDocuments, checkpointEvery } = await import('../../src-main/documents/search.js');
    const base = incomingInput(s);
    const add = (i: number) =>
      registerIncomingRecord(s.db, { ...base, codeNumber: String(i), urgency: (i % 3) as 0 | 1 | 2, subject: `Văn bản ${i}`, arrivalDate: '2026-03-04', bodyText: '', upload: null, sha256: null });
    s.db.transaction(() => {
      for (let i = 0; i < checkpointEvery * 2 + 500; i += 1) add(i);
    })();
    const plain = (filters: Record<string, unknown>, order: 'ASC' | 'DESC', offset: number) => {
      const where = filters['urgency'] === undefined ? "direction = 'incoming'" : `direction = 'incoming' AND urgency = ${Number(filters['urgency'])}`;
      return s.db.prepare(`SELECT id FROM documents WHERE ${where} ORDER BY id ${order} LIMIT 100 OFFSET ?`).pluck().all(offset);
    };
    const check = () => {
      for (const filters of [{ direction: 'incoming' as const }, { direction: 'incoming' as const, urgency: 1 as const }]) {
        for (const sort of ['newest', 'oldest'] as const) {
          for (const offset of [0, 950, 1000, 1001, 1999, 2300, 2450, 5000]) {
            const page = listDocuments(s.db, { filters, sort, offset, limit: 100 });
            expect(page.rows.map((r) => r.id)).toEqual(plain(filters, sort === 'newest' ? 'DESC' : 'ASC', offset));
          }
        }
      }
    };
    check();
    s.db.transaction(() => add(99_999))();
    check();
  });
});
