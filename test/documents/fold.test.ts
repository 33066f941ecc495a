import { describe, expect, it } from 'vitest';
import { foldVietnamese, searchWords } from '../../src-main/documents/fold.js';

describe('Vietnamese folding', () => {
  it('removes tones and marks and maps đ/Đ to d', () => {
    expect(foldVietnamese('Đề nghị Ủy ban nhân dân tỉnh Cao Bằng')).toBe('de nghi uy ban nhan dan tinh cao bang');
    expect(foldVietnamese('ĐỒNG Ý đường')).toBe('dong y duong');
  });

  it('folds NFC and NFD spellings to the same text', () => {
    const nfc = 'Quyết định công văn đến'.normalize('NFC');
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    expect(foldVietnamese(nfd)).toBe(foldVietnamese(nfc));
    expect(foldVietnamese(nfc)).toBe('quyet dinh cong van den');
  });

  it('keeps one UTF-16 unit per NFC letter (snippet positions rely on it)', () => {
    const text = 'Thượng khẩn: hỏa tốc, Đắk Lắk'.normalize('NFC');
    expect(foldVietnamese(text)).toHaveLength(text.length);
  });

  it('splits folded text into words', () => {
    expect(searchWords('30/2020/NĐ-CP')).toEqual(['30', '2020', 'nd', 'cp']);
    expect(searchWords('  ... ')).toEqual([]);
  });
});
