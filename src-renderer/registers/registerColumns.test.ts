import { describe, expect, it } from 'vitest';
import type { RegisterRow } from '../../src-main/api/contract.js';
import { en } from '../i18n/en.js';
import { vi } from '../i18n/vi.js';
import { listInput, rangeProblem, registerColumns } from './registerColumns.js';

const row: RegisterRow = {
  documentId: 7,
  number: '12',
  date: '2026-03-04',
  party: 'Sở Tài chính',
  code: '123/STC-NS',
  documentDate: '2026-03-02',
  typeAndSubject: 'Công văn: Về việc quyết toán ngân sách',
  handler: 'Văn phòng – Lê Văn Bình',
  keptBy: '',
  note: 'Bản giấy',
  secret: false,
  status: 'registered',
};

describe('register columns (Phụ lục IV)', () => {
  it('lays out the sổ đăng ký văn bản đến', () => {
    const columns = registerColumns(vi, 'incoming');
    expect(columns.map((c) => c.label)).toEqual([
      'Ngày đến',
      'Số đến',
      'Tác giả',
      'Số, ký hiệu',
      'Ngày tháng',
      'Tên loại và trích yếu nội dung',
      'Đơn vị hoặc người nhận',
      'Ký nhận',
      'Ghi chú',
    ]);
    expect(columns.map((c) => c.cell(row))).toEqual([
      '04/03/2026',
      '12',
      'Sở Tài chính',
      '123/STC-NS',
      '02/03/2026',
      'Công văn: Về việc quyết toán ngân sách',
      'Văn phòng – Lê Văn Bình',
      '',
      'Bản giấy',
    ]);
    expect(columns.filter((c) => c.rowHeader).map((c) => c.key)).toEqual(['arrivalNumber']);
  });

  it('lays out the sổ đăng ký văn bản đi, with empty columns for handwriting', () => {
    const columns = registerColumns(vi, 'outgoing');
    expect(columns.map((c) => c.label)).toEqual([
      'Số, ký hiệu văn bản',
      'Ngày tháng văn bản',
      'Tên loại và trích yếu nội dung',
      'Người ký',
      'Nơi nhận văn bản',
      'Đơn vị, người nhận bản lưu',
      'Số lượng bản',
      'Ngày chuyển',
      'Ký nhận',
      'Ghi chú',
    ]);
    expect(columns.filter((c) => c.blank).map((c) => c.key)).toEqual(['copies', 'sentDate', 'signature']);
    const issued = { ...row, number: '05/QĐ-UBND', date: '2026-04-02', handler: 'Nguyễn Văn An', party: 'Các sở', keptBy: 'Văn phòng', status: 'recalled' as const };
    expect(columns.map((c) => c.cell(issued))).toEqual([
      '05/QĐ-UBND',
      '02/04/2026',
      'Công văn: Về việc quyết toán ngân sách',
      'Nguyễn Văn An',
      'Các sở',
      'Văn phòng',
      '',
      '',
      '',
      'Đã thu hồi. Bản giấy',
    ]);
  });

  it('has an English label for every column', () => {
    for (const direction of ['incoming', 'outgoing'] as const) {
      expect(registerColumns(en, direction).map((c) => c.key)).toEqual(registerColumns(vi, direction).map((c) => c.key));
      expect(registerColumns(en, direction).every((c) => c.label.length > 0)).toBe(true);
    }
  });

  it('checks the date range against the year and asks main only for what is set', () => {
    const q = { direction: 'incoming' as const, year: 2026, series: 'ordinary' as const };
    expect(rangeProblem(q)).toBeNull();
    expect(rangeProblem({ ...q, dateFrom: '2026-03-01', dateTo: '2026-03-31' })).toBeNull();
    expect(rangeProblem({ ...q, dateFrom: '2025-12-31' })).toBe('outsideYear');
    expect(rangeProblem({ ...q, dateFrom: '2026-04-01', dateTo: '2026-03-01' })).toBe('reversed');
    expect(listInput(q, 200, 100)).toEqual({ direction: 'incoming', year: 2026, series: 'ordinary', offset: 200, limit: 100 });
    expect(listInput({ ...q, dateTo: '2026-06-30' }, 0, 500)).toEqual({ ...q, dateTo: '2026-06-30', offset: 0, limit: 500 });
  });
});
