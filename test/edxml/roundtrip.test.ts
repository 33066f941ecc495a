import { describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { buildEdxml, buildStatus, parseAny, parseEdxml, parseStatus } from '../../src-main/edxml/index.js';
import {
  decodeUtf8,
  docxAttachment,
  newPackage,
  pdfAttachment,
  recallPackage,
  replacePackage,
  statusMessage,
  testNow,
  updatePackage,
} from './fixtures.js';

const opts = { now: testNow };

describe('edXML document round trip', () => {
  for (const [name, make] of [
    ['new (0)', newPackage],
    ['recall (1)', recallPackage],
    ['update (2)', updatePackage],
    ['replace (3)', replacePackage],
  ] as const) {
    it(`build → parse gives back the same ${name} package`, () => {
      const pkg = make();
      const parsed = parseEdxml(buildEdxml(pkg, opts), opts);
      expect(parsed).toEqual(pkg);
    });
  }

  it('round-trips zipped DOCX payloads (VNPT style) back to the original bytes and type', () => {
    const pkg = newPackage();
    const bytes = buildEdxml(pkg, { ...opts, zipAttachments: 'non-pdf' });
    const xml = decodeUtf8(bytes);
    // The DOCX travels as application/zip, the PDF raw.
    expect(xml).toMatch(/<AttachmentName>Phụ lục đính kèm\.docx<\/AttachmentName>\s*<Description>[^<]*<\/Description>\s*<ContentType>application\/zip<\/ContentType>/);
    expect(xml).toMatch(/<AttachmentName>7816-VPCP-TTĐT\.pdf<\/AttachmentName>\s*<Description>[^<]*<\/Description>\s*<ContentType>application\/pdf<\/ContentType>/);
    const payload = /<edXML:ContentTransferEncoded[^>]*>([^<]*)<\/edXML:ContentTransferEncoded>\s*<\/Attachment>\s*<\/AttachmentEncoded>/.exec(xml)?.[1];
    expect(payload?.startsWith('UEsDB')).toBe(true);
    const inner = unzipSync(Buffer.from(payload ?? '', 'base64'));
    expect(Object.keys(inner)).toEqual(['Phụ lục đính kèm.docx']);
    expect(parseEdxml(bytes, opts)).toEqual(pkg);
  });

  it('is deterministic: the same package gives the same bytes', () => {
    const a = buildEdxml(newPackage(), { ...opts, zipAttachments: 'non-pdf' });
    const b = buildEdxml(newPackage(), { ...opts, zipAttachments: 'non-pdf' });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('normalises NFD Vietnamese to NFC on reading', () => {
    const pkg = newPackage();
    const xml = decodeUtf8(buildEdxml(pkg, opts)).replace(pkg.header.subject, pkg.header.subject.normalize('NFD'));
    expect(xml).toContain(pkg.header.subject.normalize('NFD'));
    const parsed = parseEdxml(new TextEncoder().encode(xml), opts);
    expect(parsed.header.subject).toBe(pkg.header.subject);
    expect(parsed.header.subject).toContain('đẩy');
  });

  it('keeps multiple recipients in order', () => {
    const parsed = parseEdxml(buildEdxml(newPackage(), opts), opts);
    expect(parsed.header.to.map((o) => o.organId)).toEqual(['000.00.00.H41', '000.00.00.H14', '001.00.10.H47']);
  });

  it('escapes markup characters in text', () => {
    const pkg = newPackage();
    pkg.header.subject = 'Về việc <b>"A & B"</b> > C';
    pkg.header.content = 'Dòng 1\nDòng 2';
    const bytes = buildEdxml(pkg, opts);
    expect(decodeUtf8(bytes)).toContain('Về việc &lt;b&gt;"A &amp; B"&lt;/b&gt; &gt; C');
    expect(parseEdxml(bytes, opts)).toEqual(pkg);
  });
});

describe('edXML status round trip', () => {
  for (const code of ['01', '02', '03', '13', '15', '16']) {
    it(`build → parse gives back status ${code}`, () => {
      const msg = { ...statusMessage(), statusCode: code };
      expect(parseStatus(buildStatus(msg))).toEqual(msg);
    });
  }

  it('round-trips a status without optional parts', () => {
    const msg = statusMessage();
    delete msg.staffInfo;
    delete msg.description;
    expect(parseStatus(buildStatus(msg))).toEqual(msg);
  });
});

describe('parseAny', () => {
  it('tells a document package from a status message', () => {
    const doc = parseAny(buildEdxml(newPackage(), opts), opts);
    expect(doc.kind).toBe('document');
    if (doc.kind === 'document') expect(doc.document.header.code.codeNumber).toBe('7816');
    const status = parseAny(buildStatus(statusMessage()));
    expect(status.kind).toBe('status');
    if (status.kind === 'status') expect(status.status.statusCode).toBe('01');
  });

  it('refuses the wrong kind in the specific parsers', () => {
    expect(() => parseEdxml(buildStatus(statusMessage()), opts)).toThrow(/status message/);
    expect(() => parseStatus(buildEdxml(newPackage(), opts))).toThrow(/document package/);
  });

  it('reads a status inside a MessageHeader container (BKAV)', () => {
    const xml = decodeUtf8(buildStatus(statusMessage())).replace(/edXML:Status>/g, 'edXML:MessageHeader>');
    const parsed = parseAny(new TextEncoder().encode(xml));
    expect(parsed.kind).toBe('status');
    if (parsed.kind === 'status') expect(parsed.status).toEqual(statusMessage());
  });
});

// Keep the fixture attachments referenced so that a change of their shape is noticed here.
void pdfAttachment;
void docxAttachment;
