/**
 * Records that cross the API boundary. Plain JSON values only (they travel over
 * IPC and over the preview host's HTTP bridge alike). Dates are `yyyy-MM-dd`
 * calendar days; instants are ISO 8601 UTC strings.
 */
export type Direction = 'incoming' | 'outgoing';

/** Độ khẩn = edXML Priority: 0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc, 4 hỏa tốc hẹn giờ. */
export type Urgency = 0 | 1 | 2 | 3 | 4;
/** Độ mật: 0 thường, 1 mật, 2 tối mật, 3 tuyệt mật. */
export type Confidentiality = 0 | 1 | 2 | 3;

/** `pending` = chờ tiếp nhận (received over the exchange, not yet accepted); `returned` = trả lại (status 02). */
export type IncomingStatus = 'registered' | 'assigned' | 'processing' | 'done' | 'cancelled' | 'pending' | 'returned';
export type OutgoingStatus = 'draft' | 'issued' | 'recalled';
export type DocumentStatus = IncomingStatus | OutgoingStatus;

export interface Agency {
  name: string;
  shortName: string; // viết tắt tên cơ quan, used in ký hiệu (UBND, SNV…)
  code: string; // mã định danh NNN.NN.NN.Xnn
  place: string; // địa danh
}

export interface Unit {
  id: number;
  name: string;
  shortName: string; // phòng ban viết tắt, used in công văn ký hiệu (VP, TCKH…)
}

export interface ExternalAgency {
  id: number;
  code: string | null;
  name: string;
}

export interface DocumentType {
  id: number;
  name: string;
  abbreviation: string | null; // null: Công văn, Thư công
  contested: boolean; // abbreviation differs between sources; check the gazette
  ordinal: number;
}

export interface CurrentUser {
  fullName: string;
  position: string;
  unitId: number | null;
}

export type NumberingScheme = 'single' | 'per-type';

export interface MasterData {
  agency: Agency | null;
  user: CurrentUser | null;
  units: Unit[];
  externalAgencies: ExternalAgency[];
  documentTypes: DocumentType[];
  numberingScheme: NumberingScheme;
}

export interface StoredFile {
  sha256: string;
  name: string;
  mime: string;
  size: number;
}

export interface DocumentRecord {
  id: number;
  direction: Direction;
  status: DocumentStatus;
  typeId: number;
  typeName: string;
  codeNumber: string | null; // số, "05"
  codeNotation: string | null; // ký hiệu, "QĐ-UBND"
  code: string | null; // "05/QĐ-UBND"
  documentDate: string | null; // ngày văn bản
  subject: string; // trích yếu
  urgency: Urgency;
  confidentiality: Confidentiality;
  // văn bản đến
  arrivalNumber: number | null; // số đến
  arrivalDate: string | null; // ngày đến
  senderName: string | null; // nơi gửi
  recipientUnitId: number | null; // đơn vị nhận
  recipientPerson: string | null; // người nhận
  dueDate: string | null; // hạn xử lý
  // văn bản đi
  signerName: string | null;
  signerPosition: string | null;
  recipients: string | null; // nơi nhận
  draftingUnitId: number | null;
  issuedAt: string | null;
  note: string | null;
  files: StoredFile[];
  createdAt: string;
  updatedAt: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  summary: string;
}

export interface DocumentDetail extends DocumentRecord {
  audit: AuditEntry[];
}

export interface Page<T> {
  rows: T[];
  total: number;
  offset: number;
  /** Search stops counting at a cap: `total` is then "at least" (shown as "hơn 1.000"). */
  totalIsLowerBound?: boolean;
}

export interface SearchHit extends DocumentRecord {
  snippet: string | null;
}

export interface AppInfo {
  version: string;
  locale: 'vi' | 'en';
  setupDone: boolean;
  dataDir: string;
  host: 'electron' | 'preview' | 'cli';
}
