import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-main/api/errors.js';
import { buildEdxml, buildStatus, type EdxmlPackage } from '../../src-main/edxml/index.js';
import { newPackage, pdfAttachment, replacePackage, statusMessage, testNow } from './fixtures.js';

function rejection(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

const build = (pkg: EdxmlPackage, extra = {}): Uint8Array => buildEdxml(pkg, { now: testNow, ...extra });

describe('buildEdxml refuses packages that would break the standard', () => {
  const cases: [string, (p: EdxmlPackage) => void, RegExp][] = [
    ['missing From/OrganId', (p) => { p.header.from = { ...p.header.from, organId: '' }; }, /MessageHeader\/From\/OrganId is empty/],
    ['no recipients', (p) => { p.header.to = []; }, /MessageHeader\/To is missing/],
    ['duplicate recipients', (p) => { p.header.to = [p.header.to[0]!, { organId: p.header.to[0]!.organId }]; }, /MessageHeader\/To\[2\]\/OrganId duplicates/],
    ['non-standard DocumentId', (p) => { p.header.documentId = 'a8f4-uuid'; }, /MessageHeader\/DocumentId "a8f4-uuid" is not of the form/],
    ['CodeNumber too long', (p) => { p.header.code.codeNumber = '123456789012'; }, /MessageHeader\/Code\/CodeNumber is longer than 11 characters/],
    ['CodeNumber with a slash', (p) => { p.header.code.codeNumber = '12/3'; }, /MessageHeader\/Code\/CodeNumber must not contain/],
    ['Subject too long', (p) => { p.header.subject = 'x'.repeat(501); }, /MessageHeader\/Subject is longer than 500/],
    ['future PromulgationDate', (p) => { p.header.promulgationInfo.promulgationDate = '2025-03-06'; }, /PromulgationDate 2025-03-06 is in the future/],
    ['Priority 5', (p) => { p.header.otherInfo!.priority = 5 as 0; }, /MessageHeader\/OtherInfo\/Priority must be an integer from 0 to 4/],
    ['TyperNotation too long', (p) => { p.header.otherInfo!.typerNotation = 'ABCDEFGHIJK'; }, /OtherInfo\/TyperNotation is longer than 10/],
    ['bad e-mail', (p) => { p.header.from.email = 'not-an-address'; }, /MessageHeader\/From\/Email is not a valid e-mail address/],
    ['Place too long', (p) => { p.header.promulgationInfo.place = 'P'.repeat(51); }, /PromulgationInfo\/Place is longer than 50/],
    ['ToPlaces entry too long', (p) => { p.header.toPlaces = ['n'.repeat(151)]; }, /MessageHeader\/ToPlaces\/Place\[1\] is longer than 150/],
    ['control character', (p) => { p.header.subject = 'a\u0007b'; }, /MessageHeader\/Subject contains a character that XML does not allow/],
    ['update info on a new document', (p) => { p.traceHeaderList.business!.documentInfo = { documentInfoChanged: true, receiversChanged: false, receivers: [] }; }, /Bussiness\/BussinessDocumentInfo is only allowed for an update/],
    ['recall without target', (p) => { p.traceHeaderList.business!.docType = 1; }, /Bussiness\/DocumentId is missing/],
    ['traversal attachment name', (p) => { p.attachments = [{ ...pdfAttachment, name: '../x.pdf' }]; }, /Attachment\[1\]\/AttachmentName "..\/x.pdf" contains a path separator/],
    ['duplicate content ids', (p) => { p.attachments = [pdfAttachment, { ...pdfAttachment }]; }, /Attachment\[2\]\/ContentId "vb-7816-chinh" is used by two attachments/],
    ['zip type on a non-zip name', (p) => { p.attachments = [{ ...pdfAttachment, contentType: 'application/zip' }]; }, /Attachment\[1\]\/ContentType is application\/zip but/],
    ['signature with a DTD', (p) => { p.signature = { xml: '<!DOCTYPE x [<!ENTITY a "b">]><Signature/>' }; }, /DOCTYPE or ENTITY/],
    ['signature that is not a Signature', (p) => { p.signature = { xml: '<Evil/>' }; }, /Signature must be a <Signature> element/],
  ];
  for (const [name, change, message] of cases) {
    it(name, () => {
      const pkg = newPackage();
      change(pkg);
      const error = rejection(() => build(pkg));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(message);
    });
  }

  it('replacement needs the list of replaced documents', () => {
    const pkg = replacePackage();
    pkg.traceHeaderList.business!.replacements = [];
    expect(rejection(() => build(pkg)).message).toMatch(/Bussiness\/ReplacementInfoList is missing/);
  });

  it('enforces the attachment size limit before encoding', () => {
    const error = rejection(() => build(newPackage(), { maxAttachmentBytes: 1000 }));
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(error.message).toMatch(/Attachment\[1\]\/ContentTransferEncoded is 3000 bytes, more than the limit of 1000/);
  });
});

describe('buildStatus refuses bad status messages', () => {
  it('needs a two-digit StatusCode', () => {
    const error = rejection(() => buildStatus({ ...statusMessage(), statusCode: '1' }));
    expect(error.message).toMatch(/Status\/StatusCode "1" must be two digits/);
  });

  it('needs a valid ResponseFor/OrganId and Timestamp', () => {
    const msg = statusMessage();
    msg.responseFor.organId = 'VPCP';
    expect(rejection(() => buildStatus(msg)).message).toMatch(/Status\/ResponseFor\/OrganId "VPCP" is not an agency code/);
    expect(rejection(() => buildStatus({ ...statusMessage(), timestamp: new Date(Number.NaN) })).message).toMatch(/Status\/Timestamp must be a valid date/);
  });
});
