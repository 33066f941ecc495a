/**
 * Domain model of an edXML package (gói tin văn bản) and status message (gói tin
 * trạng thái), QCVN 102:2016/BTTTT. Names follow the wire elements, spelled correctly
 * (the wire's `Bussiness` is `business` here).
 *
 * Conventions:
 * - calendar dates are ISO `yyyy-MM-dd` strings (the wire writes `yyyy/MM/dd`);
 * - timestamps are JS `Date` instants (the wire writes Viet Nam local time
 *   `yyyy/MM/dd HH:mm:ss`, without zone, to whole seconds);
 * - optional text is `undefined` when the element is absent or empty;
 * - all text is NFC-normalised and trimmed.
 */

/** Cơ quan, tổ chức: sender (From) or recipient (To), and the reporter of a status. */
export interface Organization {
  /** Mã định danh, `NNN.NN.NN.Xnn`, e.g. `000.00.00.G22`. */
  organId: string;
  /** Đơn vị chủ quản. */
  organizationInCharge?: string;
  /** Tên cơ quan. */
  organName?: string;
  /** Địa chỉ. */
  organAdd?: string;
  email?: string;
  telephone?: string;
  fax?: string;
  website?: string;
}

/** Số và ký hiệu văn bản, e.g. 7816 + VPCP-TTĐT. */
export interface DocumentCode {
  codeNumber: string;
  codeNotation: string;
}

/** Địa danh và ngày ban hành. */
export interface PromulgationInfo {
  place?: string;
  /** yyyy-MM-dd, not in the future. */
  promulgationDate: string;
}

/**
 * Loại văn bản. The meaning of `type` and `typeDetail` is not verified (standards
 * doc §1.3 [C]); any small non-negative integer is accepted.
 */
export interface DocumentType {
  type: number;
  typeDetail?: number;
  /** Free text: "Công văn", "Quyết định"… */
  typeName?: string;
}

/** Thông tin người ký: quyền hạn (TL., KT., TM. …), chức vụ, họ tên. */
export interface SignerInfo {
  competence?: string;
  position?: string;
  fullName?: string;
}

/** Độ khẩn: 0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc, 4 hỏa tốc hẹn giờ. */
export type Priority = 0 | 1 | 2 | 3 | 4;

export interface OtherInfo {
  priority: Priority;
  /** Phạm vi lưu hành. */
  sphereOfPromulgation?: string;
  /** Ký hiệu người đánh máy / soạn thảo. */
  typerNotation?: string;
  /** Số bản phát hành (unsigned short). */
  promulgationAmount?: number;
  /** Số trang (unsigned short). */
  pageAmount?: number;
  /** Phụ lục. */
  appendixes: string[];
}

/** Văn bản được phúc đáp. */
export interface ResponseFor {
  organId: string;
  /** "CodeNumber/CodeNotation", e.g. "7816/VPCP-TTĐT". */
  code: string;
  /** yyyy-MM-dd. */
  promulgationDate: string;
  documentId: string;
}

export interface MessageHeader {
  from: Organization;
  /** Đơn vị nhận, at least one, no duplicate organId. */
  to: Organization[];
  /** Mã văn bản, normally `<OrganId>,<yyyy/MM/dd>,<CodeNumber>/<CodeNotation>`. */
  documentId: string;
  code: DocumentCode;
  promulgationInfo: PromulgationInfo;
  documentType?: DocumentType;
  /** Trích yếu. */
  subject: string;
  /** Nội dung tóm tắt. */
  content?: string;
  signerInfo?: SignerInfo;
  /** Hạn xử lý, yyyy-MM-dd. */
  dueDate?: string;
  /** Nơi nhận (để lưu). */
  toPlaces: string[];
  otherInfo?: OtherInfo;
  responseFor: ResponseFor[];
  /** Loại chỉ đạo; enumeration not verified (§1.3 [C]). */
  steeringType?: number;
}

/** One hop of the packet: the system that handled it and when. */
export interface TraceHeader {
  organId: string;
  timestamp: Date;
}

/** Người thực hiện nghiệp vụ. */
export interface StaffInfo {
  department?: string;
  staff?: string;
  mobile?: string;
  email?: string;
}

/** BussinessDocType: 0 văn bản mới, 1 thu hồi, 2 cập nhật, 3 thay thế. */
export type BusinessDocType = 0 | 1 | 2 | 3;

/** ReceiverType: 0 recipient removed, 1 recipient added. */
export type ReceiverType = 0 | 1;

export interface BusinessReceiver {
  receiverType: ReceiverType;
  organId: string;
}

/** What an update (BussinessDocType 2) changes. */
export interface BusinessDocumentInfo {
  /** DocumentInfo = 1: the document's metadata changed. */
  documentInfoChanged: boolean;
  /** DocumentReceiver = 1: the recipient list changed. */
  receiversChanged: boolean;
  receivers: BusinessReceiver[];
}

/** A document replaced by this one (BussinessDocType 3). */
export interface ReplacementInfo {
  documentId: string;
  organIds: string[];
}

/** The `Bussiness` block (on the wire with double s). */
export interface Business {
  /** For recall/update/replace: the DocumentId concerned. */
  documentId?: string;
  docType: BusinessDocType;
  reason?: string;
  /** Meaning not verified (§1.4 [C]); samples always send 0. */
  paper?: number;
  staffInfo?: StaffInfo;
  documentInfo?: BusinessDocumentInfo;
  replacements: ReplacementInfo[];
}

export interface TraceHeaderList {
  traceHeaders: TraceHeader[];
  business?: Business;
}

/** XML-DSig block kept as opaque, well-formed XML; never verified or produced here. */
export interface OpaqueSignature {
  /** The serialised `<Signature>` element with its namespace declared. */
  xml: string;
}

export interface Attachment {
  /** Without the `cid:` prefix. */
  contentId: string;
  /** Safe file name (see attachmentName.ts). */
  name: string;
  description?: string;
  /** MIME type of `bytes` (after unzipping a zipped payload). */
  contentType: string;
  bytes: Uint8Array;
}

export interface EdxmlPackage {
  header: MessageHeader;
  traceHeaderList: TraceHeaderList;
  signature?: OpaqueSignature;
  attachments: Attachment[];
}

/** Văn bản the status is about. */
export interface StatusResponseFor {
  organId: string;
  /** "CodeNumber/CodeNotation". */
  code: string;
  /** yyyy-MM-dd. */
  promulgationDate: string;
  documentId: string;
}

export interface StatusMessage {
  from: Organization;
  responseFor: StatusResponseFor;
  staffInfo?: StaffInfo;
  /** Two digits, e.g. "01"; see statusCodes.ts. */
  statusCode: string;
  description?: string;
  timestamp: Date;
  signature?: OpaqueSignature;
}
