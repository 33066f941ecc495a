/**
 * Sample packages for the edXML tests: Vietnamese text in NFC (with đ/Đ), several
 * recipients, a PDF and a DOCX attachment. Bytes are synthetic but carry the right
 * magic numbers.
 */
import type { Attachment, EdxmlPackage, Organization, StatusMessage } from '../../src-main/edxml/index.js';

/** "Today" for every test, so the not-in-the-future rule is deterministic. */
export const testNow = new Date('2025-03-05T07:30:00Z'); // 14:30 in Viet Nam

export const vpcp: Organization = {
  organId: '000.00.00.G22',
  organizationInCharge: 'Chính phủ',
  organName: 'Văn phòng Chính phủ',
  organAdd: '16 Lê Hồng Phong, Ba Đình, Hà Nội',
  email: 'vanthu@chinhphu.vn',
  telephone: '024 3825 8261',
  fax: '024 3825 8262',
  website: 'https://chinhphu.vn',
};

export const ngheAn: Organization = { organId: '000.00.00.H41', organName: 'Ủy ban nhân dân tỉnh Nghệ An' };
export const caoBang: Organization = { organId: '000.00.00.H14', organName: 'Ủy ban nhân dân tỉnh Cao Bằng' };
export const quangNamUnit: Organization = { organId: '001.00.10.H47', organName: 'Sở Thông tin và Truyền thông tỉnh Quảng Nam' };

export function pdfBytes(size = 3000): Uint8Array {
  const head = new TextEncoder().encode('%PDF-1.7\n% Công văn đ\n');
  const bytes = new Uint8Array(size);
  bytes.set(head);
  for (let i = head.length; i < size; i++) bytes[i] = (i * 31 + 7) % 251;
  return bytes;
}

export function docxBytes(size = 5000): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set([0x50, 0x4b, 0x03, 0x04]);
  for (let i = 4; i < size; i++) bytes[i] = i % 7 === 0 ? (i * 13) % 256 : 65 + (i % 26);
  return bytes;
}

export const pdfAttachment: Attachment = {
  contentId: 'vb-7816-chinh',
  name: '7816-VPCP-TTĐT.pdf',
  description: 'Văn bản chính đã ký số',
  contentType: 'application/pdf',
  bytes: pdfBytes(),
};

export const docxAttachment: Attachment = {
  contentId: 'phu-luc-1',
  name: 'Phụ lục đính kèm.docx',
  description: 'Phụ lục I: danh sách đơn vị',
  contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  bytes: docxBytes(),
};

/** A new document (BussinessDocType 0) from VPCP to three provinces. */
export function newPackage(): EdxmlPackage {
  // A deep copy each time: tests mutate what they get.
  return structuredClone<EdxmlPackage>({
    header: {
      from: vpcp,
      to: [ngheAn, caoBang, quangNamUnit],
      documentId: '000.00.00.G22,2025/03/04,7816/VPCP-TTĐT',
      code: { codeNumber: '7816', codeNotation: 'VPCP-TTĐT' },
      promulgationInfo: { place: 'Hà Nội', promulgationDate: '2025-03-04' },
      documentType: { type: 1, typeDetail: 0, typeName: 'Công văn' },
      subject: 'V/v đẩy mạnh gửi, nhận văn bản điện tử giữa các cơ quan hành chính nhà nước',
      content: 'Đề nghị các địa phương triển khai đúng tiến độ; báo cáo trước ngày 31/3.',
      signerInfo: { competence: 'KT. BỘ TRƯỞNG, CHỦ NHIỆM', position: 'Phó Chủ nhiệm', fullName: 'Nguyễn Văn Đức' },
      dueDate: '2025-03-31',
      toPlaces: ['Như trên', 'Lưu: VT, TTĐT (3b)'],
      otherInfo: {
        priority: 2,
        sphereOfPromulgation: 'Liên thông văn bản quốc gia',
        typerNotation: 'TVC',
        promulgationAmount: 3,
        pageAmount: 2,
        appendixes: ['Phụ lục I: danh sách đơn vị'],
      },
      responseFor: [
        {
          organId: '000.00.00.H41',
          code: '125/UBND-VX',
          promulgationDate: '2025-02-20',
          documentId: '000.00.00.H41,2025/02/20,125/UBND-VX',
        },
      ],
      steeringType: 1,
    },
    traceHeaderList: {
      traceHeaders: [{ organId: '000.00.00.G22', timestamp: new Date('2025-03-04T02:15:30Z') }],
      business: {
        docType: 0,
        reason: 'Văn bản điện tử mới',
        paper: 0,
        staffInfo: { department: 'Phòng Văn thư - Lưu trữ', staff: 'Trần Thị Đào', mobile: '0912345678', email: 'dao.tt@chinhphu.vn' },
        replacements: [],
      },
    },
    signature: {
      xml:
        '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo>' +
        '<CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>' +
        '<SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/>' +
        '</SignedInfo><SignatureValue>AAAA</SignatureValue><KeyInfo><X509Data>' +
        '<X509SubjectName>CN=Văn phòng Chính phủ</X509SubjectName></X509Data></KeyInfo></Signature>',
    },
    attachments: [pdfAttachment, docxAttachment],
  });
}

/** Recall (thu hồi, BussinessDocType 1) of the new document. */
export function recallPackage(): EdxmlPackage {
  const pkg = newPackage();
  pkg.traceHeaderList.business = {
    documentId: pkg.header.documentId,
    docType: 1,
    reason: 'Thu hồi do sai sót về thể thức',
    paper: 0,
    staffInfo: { department: 'Phòng Văn thư - Lưu trữ', staff: 'Trần Thị Đào' },
    replacements: [],
  };
  pkg.attachments = [];
  delete pkg.signature;
  return pkg;
}

/** Update (cập nhật, BussinessDocType 2): Cao Bằng removed, Quảng Nam unit added. */
export function updatePackage(): EdxmlPackage {
  const pkg = newPackage();
  pkg.header.to = [ngheAn, quangNamUnit];
  pkg.traceHeaderList.business = {
    documentId: pkg.header.documentId,
    docType: 2,
    reason: 'Cập nhật danh sách nơi nhận',
    paper: 0,
    documentInfo: {
      documentInfoChanged: false,
      receiversChanged: true,
      receivers: [
        { receiverType: 0, organId: '000.00.00.H14' },
        { receiverType: 1, organId: '001.00.10.H47' },
      ],
    },
    replacements: [],
  };
  return pkg;
}

/** Replacement (thay thế, BussinessDocType 3) of two earlier documents. */
export function replacePackage(): EdxmlPackage {
  const pkg = newPackage();
  pkg.header.documentId = '000.00.00.G22,2025/03/05,7900/VPCP-TTĐT';
  pkg.header.code = { codeNumber: '7900', codeNotation: 'VPCP-TTĐT' };
  pkg.header.promulgationInfo = { place: 'Hà Nội', promulgationDate: '2025-03-05' };
  pkg.traceHeaderList.business = {
    documentId: '000.00.00.G22,2025/03/04,7816/VPCP-TTĐT',
    docType: 3,
    reason: 'Thay thế Công văn số 7816/VPCP-TTĐT',
    replacements: [
      { documentId: '000.00.00.G22,2025/03/04,7816/VPCP-TTĐT', organIds: ['000.00.00.H41', '000.00.00.H14'] },
      { documentId: '000.00.00.G22,2025/03/01,7700/VPCP-TTĐT', organIds: ['000.00.00.H41'] },
    ],
  };
  return pkg;
}

export function statusMessage(): StatusMessage {
  return structuredClone<StatusMessage>({
    from: ngheAn,
    responseFor: {
      organId: '000.00.00.G22',
      code: '7816/VPCP-TTĐT',
      promulgationDate: '2025-03-04',
      documentId: '000.00.00.G22,2025/03/04,7816/VPCP-TTĐT',
    },
    staffInfo: { department: 'Văn thư - Phòng Văn thư - Lưu trữ', staff: 'Lê Văn Định', mobile: '0987654321', email: 'dinh.lv@nghean.gov.vn' },
    statusCode: '01',
    description: 'Văn thư - Phòng Văn thư - Lưu trữ: Đã đến - Phần mềm QLVB đã nhận nhưng văn thư chưa xử lý',
    timestamp: new Date('2025-03-05T01:02:03Z'),
  });
}

export const decodeUtf8 = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
export const encodeUtf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
