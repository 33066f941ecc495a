import { afterEach, describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import {
  contentTypeForName,
  describeStatusCode,
  formatDocumentId,
  formatEdxmlDate,
  formatEdxmlTimestamp,
  isOrganId,
  parseDocumentId,
  parseEdxmlDate,
  parseEdxmlTimestamp,
  priorityLabels,
  safeAttachmentName,
  vietnamDateOf,
} from '../../src-main/edxml/index.js';
import { decodeBase64Strict } from '../../src-main/edxml/base64.js';
import { unzipSingleFile } from '../../src-main/edxml/zip.js';
import { craftZip } from './zipCraft.js';

const savedTz = process.env['TZ'];
afterEach(() => {
  if (savedTz === undefined) delete process.env['TZ'];
  else process.env['TZ'] = savedTz;
});

describe('dates and timestamps (Asia/Ho_Chi_Minh, not the machine zone)', () => {
  it('converts ISO dates to and from yyyy/MM/dd and rejects impossible days', () => {
    expect(formatEdxmlDate('2024-02-29')).toBe('2024/02/29');
    expect(formatEdxmlDate('2023-02-29')).toBeNull();
    expect(parseEdxmlDate('2019/01/16')).toBe('2019-01-16');
    expect(parseEdxmlDate('2019-01-16')).toBeNull();
    expect(parseEdxmlDate('16/01/2019')).toBeNull();
    expect(parseEdxmlDate('2019/13/01')).toBeNull();
  });

  for (const zone of ['UTC', 'America/Los_Angeles', 'Asia/Tokyo']) {
    it(`writes and reads Viet Nam local time when the PC is in ${zone}`, () => {
      process.env['TZ'] = zone;
      const at = new Date('2025-12-31T17:30:05Z'); // 00:30:05 on 1 January 2026 in Viet Nam
      expect(formatEdxmlTimestamp(at)).toBe('2026/01/01 00:30:05');
      expect(parseEdxmlTimestamp('2026/01/01 00:30:05')?.toISOString()).toBe('2025-12-31T17:30:05.000Z');
      expect(vietnamDateOf(at)).toBe('2026-01-01');
    });
  }

  it('drops milliseconds and rejects malformed or impossible timestamps', () => {
    expect(formatEdxmlTimestamp(new Date('2025-03-05T01:02:03.999Z'))).toBe('2025/03/05 08:02:03');
    for (const bad of ['2025/03/05 24:00:00', '2025/02/30 10:00:00', '2025/03/05T08:02:03', '2025/03/05 8:02:03', '05/03/2025 08:02:03']) {
      expect(parseEdxmlTimestamp(bad)).toBeNull();
    }
  });
});

describe('DocumentId and OrganId', () => {
  it('formats and parses the VNPT form, notation with "/" and Đ included', () => {
    const parts = { organId: '000.00.00.G22', promulgationDate: '2015-09-30', codeNumber: '7816', codeNotation: 'VPCP-TTĐT' };
    expect(formatDocumentId(parts)).toBe('000.00.00.G22,2015/09/30,7816/VPCP-TTĐT');
    expect(parseDocumentId('000.00.00.G22,2015/09/30,7816/VPCP-TTĐT')).toEqual(parts);
    expect(parseDocumentId('000.00.00.G22,2020/04/05,30/2020/NĐ-CP')?.codeNotation).toBe('2020/NĐ-CP');
  });

  it('returns null for other shapes (BKAV UUIDs, bad dates, bad agency codes)', () => {
    expect(parseDocumentId('4f1c2a8e-6d0b-4f37-9d62-8c1f0e2b7a55')).toBeNull();
    expect(parseDocumentId('000.00.00.G22,2015/02/30,1/X')).toBeNull();
    expect(parseDocumentId('G22,2015/09/30,1/X')).toBeNull();
    expect(formatDocumentId({ organId: '000.00.00.G22', promulgationDate: '2015-09-30', codeNumber: '78/16', codeNotation: 'X' })).toBeNull();
  });

  it('checks NNN.NN.NN.Xnn', () => {
    for (const ok of ['000.00.00.G22', '001.00.10.H47', '000.21.36.I03']) expect(isOrganId(ok)).toBe(true);
    for (const bad of ['000.00.00.g22', '00.00.00.G22', '000.00.00.G2', '000.00.00.GG2', ' 000.00.00.G22']) expect(isOrganId(bad)).toBe(false);
  });
});

describe('status codes and labels', () => {
  it('knows who sends each code, with Vietnamese labels', () => {
    expect(describeStatusCode('01')).toMatchObject({ label: 'Đã đến', sentBy: 'recipient', verified: true });
    expect(describeStatusCode('13')).toMatchObject({ sentBy: 'sender' });
    expect(describeStatusCode('14')?.verified).toBe(false);
    expect(describeStatusCode('09')).toBeUndefined();
    expect(priorityLabels[3]).toBe('Hỏa tốc');
  });
});

describe('attachment names', () => {
  it('repairs awkward names and falls back when empty', () => {
    expect(safeAttachmentName('n', '  Báo cáo: quý I?.pdf  ', 1, 'application/pdf')).toBe('Báo cáo_ quý I_.pdf');
    expect(safeAttachmentName('n', 'tờ trình.docx...', 1, 'x/y')).toBe('tờ trình.docx');
    expect(safeAttachmentName('n', undefined, 2, 'application/pdf')).toBe('tep-dinh-kem-2.pdf');
    expect(safeAttachmentName('n', '   ', 3, 'application/octet-stream')).toBe('tep-dinh-kem-3');
    expect(() => safeAttachmentName('n', ' . ', 3, 'application/octet-stream')).toThrow(/n "." is not a file name/);
    expect(safeAttachmentName('n', 'Cộng hòa.pdf'.normalize('NFD'), 1, 'application/pdf')).toBe('Cộng hòa.pdf');
  });

  it('guesses the type of an unzipped file from its name', () => {
    expect(contentTypeForName('cv.DOC')).toBe('application/msword');
    expect(contentTypeForName('noextension')).toBe('application/octet-stream');
  });
});

describe('Base64 and ZIP primitives', () => {
  it('decodes wrapped Base64 and checks the size before decoding', () => {
    expect(Buffer.from(decodeBase64Strict('p', 'SGVs\r\nbG8=', 10)).toString()).toBe('Hello');
    expect(() => decodeBase64Strict('p', 'SGVsbG8=', 4)).toThrow(/p decodes to 5 bytes, more than the limit of 4/);
    expect(() => decodeBase64Strict('p', 'SGVs-G8=', 10)).toThrow(/unexpected character/);
    expect(() => decodeBase64Strict('p', 'SGVsbG8', 10)).toThrow(/multiple of 4/);
    expect(() => decodeBase64Strict('p', 'SG=sbG8=', 10)).toThrow(/unexpected character/);
  });

  it('unzips fflate and Java-style (data descriptor) archives, ignoring directories', () => {
    const data = new TextEncoder().encode('nội dung '.repeat(100));
    expect(unzipSingleFile(zipSync({ 'thu-muc/': new Uint8Array(0), 'thu-muc/a.doc': data }), 'p', 10_000)).toEqual(data);
    expect(unzipSingleFile(craftZip([{ name: 'a.doc', data }]), 'p', 10_000)).toEqual(data);
    expect(unzipSingleFile(craftZip([{ name: 'a.doc', data, method: 0 }]), 'p', 10_000)).toEqual(data);
  });

  it('stops inflating at the declared size and refuses more than the limit', () => {
    const data = new Uint8Array(100_000);
    expect(() => unzipSingleFile(craftZip([{ name: 'a.doc', data }]), 'p', 50_000)).toThrow(/p unzips to 100000 bytes, more than the limit of 50000/);
    expect(() => unzipSingleFile(craftZip([{ name: 'a.doc', data, declaredSize: 10 }]), 'p', 50_000)).toThrow(/inflates beyond its declared size of 10 bytes/);
  });
});
