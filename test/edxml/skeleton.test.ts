import { describe, expect, it } from 'vitest';
import { buildEdxml, edxmlNamespace, parseAny, parseEdxml } from '../../src-main/edxml/index.js';
import { newPackage, testNow } from './fixtures.js';
import { mutate, skeletonDocBytes, skeletonPdfBytes, skeletonXml } from './skeleton.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const opts = { now: testNow };

describe('package in the shape of the standards doc skeleton', () => {
  const pkg = parseEdxml(enc(skeletonXml()), opts);

  it('reads the MessageHeader', () => {
    const h = pkg.header;
    expect(h.from).toEqual({
      organId: '000.00.00.G17',
      organName: 'Bộ Xây dựng',
      organAdd: '37 Lê Đại Hành, Hà Nội',
      email: 'vanthu@moc.gov.vn',
      telephone: '02439760271',
      website: 'moc.gov.vn',
    });
    expect(h.to.map((o) => o.organId)).toEqual(['000.00.00.G22', '000.00.00.H41']);
    expect(h.documentId).toBe('000.00.00.G17,2019/01/16,7816/BXD-VP');
    expect(h.code).toEqual({ codeNumber: '7816', codeNotation: 'BXD-VP' });
    expect(h.promulgationInfo).toEqual({ place: 'Hà Nội', promulgationDate: '2019-01-16' });
    expect(h.documentType).toEqual({ type: 1, typeDetail: 0, typeName: 'Công văn' });
    expect(h.signerInfo?.competence).toBe('TL. BO TRUONG');
    expect(h.dueDate).toBe('2019-02-16');
    expect(h.toPlaces).toEqual(['Như trên', 'Lưu: VT']);
    expect(h.otherInfo).toEqual({
      priority: 0,
      sphereOfPromulgation: 'Liên thông văn bản quốc gia',
      typerNotation: 'TVC',
      promulgationAmount: 1,
      pageAmount: 1,
      appendixes: [],
    });
    expect(h.steeringType).toBe(0);
    expect(h.responseFor).toEqual([]);
  });

  it('reads the TraceHeaderList with the Bussiness spelling, timestamps as Viet Nam local time', () => {
    const t = pkg.traceHeaderList;
    expect(t.traceHeaders).toEqual([{ organId: '000.00.00.G17', timestamp: new Date('2018-09-27T17:00:00Z') }]);
    expect(t.business).toEqual({
      docType: 0,
      reason: 'Văn bản điện tử mới',
      paper: 0,
      staffInfo: { department: 'Văn phòng', staff: 'Nguyễn Thị Đào' },
      replacements: [],
    });
  });

  it('keeps the unprefixed Signature as opaque XML in the edXML namespace', () => {
    expect(pkg.signature?.xml).toMatch(new RegExp(`^<Signature xmlns="${edxmlNamespace}">`));
    expect(pkg.signature?.xml).toContain('<X509Certificate>MIIFqTCCBJG</X509Certificate>');
  });

  it('unzips the .doc sent as application/zip and keeps the PDF raw, with or without cid:', () => {
    expect(pkg.attachments.map((a) => [a.contentId, a.name, a.contentType])).toEqual([
      ['a1b2c3d4-0001', 'cv7816.doc', 'application/msword'],
      ['a1b2c3d4-0002', 'cv7816.pdf', 'application/pdf'],
    ]);
    expect(pkg.attachments[0]?.bytes).toEqual(skeletonDocBytes);
    expect(pkg.attachments[1]?.bytes).toEqual(skeletonPdfBytes);
    expect(pkg.attachments[0]?.description).toBe('Công văn (bản Word)');
  });

  it('accepts the correct spelling Business as well', () => {
    const xml = skeletonXml().replace(/edXML:Bussiness/g, 'edXML:Business').replace(/edXML:BussinessDoc/g, 'edXML:BusinessDoc');
    expect(xml).toContain('<edXML:Business>');
    expect(parseEdxml(enc(xml), opts).traceHeaderList).toEqual(pkg.traceHeaderList);
  });

  it('keeps a real .zip attachment zipped', () => {
    const xml = skeletonXml().replace(/cv7816\.doc/g, 'ho-so.zip');
    const a = parseEdxml(enc(xml), opts).attachments[0];
    expect(a?.name).toBe('ho-so.zip');
    expect(a?.contentType).toBe('application/zip');
    expect(Buffer.from(a?.bytes ?? []).subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
  });

  it('accepts the edXML prefix declared on the root instead', () => {
    let xml = mutate(skeletonXml(), '<edXML xmlns="', '<edXML xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016" xmlns="');
    xml = xml.replace(/ xmlns:edXML="[^"]*">(?=[A-Za-z0-9+/=\n]*<\/edXML:ContentTransferEncoded)/g, '>');
    expect(parseEdxml(enc(xml), opts).attachments).toHaveLength(2);
  });

  it('reads a package whose elements come in another order (other vendors)', () => {
    const xml = mutate(
      skeletonXml(),
      /(<edXML:OrganId>000\.00\.00\.G17<\/edXML:OrganId>)([\s\S]*?)(<\/edXML:From>)/,
      '$2$1$3',
    );
    expect(parseAny(enc(xml), opts).kind).toBe('document');
  });
});

describe('written layout', () => {
  const xml = new TextDecoder().decode(buildEdxml(newPackage(), opts));

  it('writes the MessageHeader children in the order of §1.3', () => {
    const header = /<edXML:MessageHeader>([\s\S]*)<\/edXML:MessageHeader>/.exec(xml)?.[1] ?? '';
    const topLevel = [...header.matchAll(/^ {8}<edXML:(\w+)/gm)].map((m) => m[1]);
    expect(topLevel).toEqual([
      'From', 'To', 'To', 'To', 'DocumentId', 'Code', 'PromulgationInfo', 'DocumentType', 'Subject', 'Content',
      'SignerInfo', 'DueDate', 'ToPlaces', 'OtherInfo', 'ResponseFor', 'SteeringType',
    ]);
  });

  it('puts the envelope first and AttachmentEncoded after it, payload prefix declared', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">\n  <edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">')).toBe(true);
    expect(xml.indexOf('</edXML:edXMLEnvelope>')).toBeLessThan(xml.indexOf('<AttachmentEncoded>'));
    expect(xml).toMatch(/<edXML:ContentTransferEncoded xmlns:edXML="http:\/\/www\.mic\.gov\.vn\/TBT\/QCVN_102_2016">JVBERi0/);
    expect(xml).toContain('<edXML:edXMLManifest version="1.0">');
    expect((xml.match(/<edXML:Reference>/g) ?? []).length).toBe(2);
    expect(xml).toContain('<edXML:ContentId>cid:vb-7816-chinh</edXML:ContentId>');
    expect(xml).toContain('<edXML:Bussiness>');
    expect(xml).not.toContain('Business');
  });
});
