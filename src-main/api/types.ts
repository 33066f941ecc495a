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
  /**
   * Received over the exchange: the verdict on the PDF signatures of its current main file,
   * checked in the background soon after arrival (offline: cached CRLs). null while not
   * verified yet, and for documents that did not come over the exchange.
   */
  receivedSignature: ReceivedSignature | null;
}

/** The PDF signatures of a received document, all together: `unsigned` = the PDF carries none. */
export type ReceivedSignatureVerdict = 'valid' | 'invalid' | 'indeterminate' | 'unsigned';
/** Why not valid: the check that failed or could not decide first, or `unreadable` (the file could not be read). */
export type ReceivedSignatureReason = SignatureCheckName | 'unreadable';

export interface ReceivedSignature {
  verdict: ReceivedSignatureVerdict;
  /** English, technical (as written to the log and the audit log). */
  summary?: string;
  /** The signers' names (certificate common names), in signing order, ", " between them. */
  signer?: string;
  /** invalid / indeterminate: why (the first signature that is not valid). */
  reason?: ReceivedSignatureReason;
  /** ISO 8601 UTC */
  verifiedAt: string;
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

// ---------------------------------------------------------------- signing

export type SignMode = 'signer' | 'agency' | 'appendix' | 'copy';
export type SignatureStatus = 'valid' | 'invalid' | 'indeterminate';
export type SignatureCheckName =
  | 'integrity'
  | 'signature'
  | 'signingCertificate'
  | 'chain'
  | 'validity'
  | 'keyUsage'
  | 'revocation'
  | 'timestamp'
  | 'modifications';

export interface SignatureCheckView {
  name: SignatureCheckName;
  state: 'ok' | 'failed' | 'unknown' | 'absent';
  /** English, technical (shown as detail under the translated check name). */
  message: string;
}

/** One signature of a PDF as the verifier judged it: valid, invalid, or "cannot tell" (indeterminate). */
export interface SignatureView {
  index: number;
  fieldName: string;
  status: SignatureStatus;
  /** why not valid, most important first (English, technical) */
  reasons: string[];
  signer: { commonName: string | null; subject: string; issuer: string; serial: string; notBefore: string; notAfter: string } | null;
  /** ISO 8601 (with offset) */
  signingTime: string | null;
  signingTimeSource: 'timestamp' | 'claimed' | null;
  coversWholeDocument: boolean;
  pageIndex: number | null;
  checks: SignatureCheckView[];
  /** Online check (`ocsp: true`): what OCSP said about each certificate asked (signer first); null offline. */
  ocsp: OcspView[] | null;
}

/**
 * Why OCSP could not tell: no responder known, responder not reached, it did not answer in
 * time, it refused (or answered an HTTP error), it does not know the certificate, its answer
 * was not acceptable (signature, nonce, freshness, another certificate).
 */
export type OcspFailure = 'noResponder' | 'unreachable' | 'timeout' | 'refused' | 'certUnknown' | 'badResponse';

export interface OcspView {
  /** subject of the certificate asked about */
  certificate: string;
  status: 'good' | 'revoked' | 'unknown';
  /** ISO 8601 (with offset): when the responder produced the answer; null when there is none */
  producedAt: string | null;
  nextUpdate: string | null;
  revokedAt: string | null;
  /** the answer was kept from an earlier check (until its nextUpdate) rather than asked now */
  fromCache: boolean;
  failure: OcspFailure | null;
  /** English, technical (unknown: the responder and what went wrong) */
  message: string | null;
}

export interface VerifyResult {
  documentId: number | null;
  sha256: string;
  fileName: string;
  /** true when revocation was also asked online (OCSP) */
  online: boolean;
  signatures: SignatureView[];
}

export type CertificateWarning = 'expired' | 'notYetValid' | 'expiresSoon' | 'notForSigning';

export interface CertificateView {
  id: string; // CKA_ID, hex
  label: string;
  subject: string;
  commonName: string | null;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  keyType: 'rsa' | 'ec' | 'other';
  /** whole days until notAfter (negative once expired) */
  daysLeft: number;
  warning: CertificateWarning | null;
  /** can sign now: key present, valid today, usage allows signatures */
  usable: boolean;
}

export interface TokenView {
  module: string;
  vendor: string;
  label: string;
  serial: string;
  manufacturer: string;
  model: string;
  pin: { countLow: boolean; finalTry: boolean; locked: boolean; toBeChanged: boolean };
  certificates: CertificateView[];
}

export interface TokenList {
  /** PKCS#11 modules found on this PC (known vendors + admin configuration) */
  modules: Array<{ path: string; vendor: string; source: 'known' | 'configured' }>;
  tokens: TokenView[];
}

export interface SignResult {
  document: DocumentRecord;
  sha256: string;
  previousSha256: string;
  fieldName: string;
  mode: SignMode;
  signer: string;
  /** ISO 8601 (with offset) */
  signingTime: string;
  /** number fields filled before an agency signature */
  filled: string[];
}

// ---------------------------------------------------------------- sync and exchange

export interface SyncStateView {
  configured: boolean;
  /** reference: the provincial server; vdxp: the national axis. */
  protocol: 'reference' | 'vdxp';
  serverUrl: string | null;
  username: string | null;
  /** true after the last round reached the server, false when it could not, null before any round */
  online: boolean | null;
  running: boolean;
  lastSyncAt: string | null;
  lastError: string | null;
  pendingOutbox: number;
  rejectedOutbox: number;
  pendingIncoming: number;
  pendingRequests: number;
  downloads: { active: number; itemsDone: number; itemsTotal: number; bytesDone: number; bytesTotal: number };
  /**
   * True when another PC of the agency receives its exchanged documents (the one holding the
   * incoming register's lease): this PC then receives none, and shows why.
   */
  receivedElsewhere: boolean;
  /** The signatures of received documents are being checked (after a round): their verdicts appear as they come. */
  verifying: boolean;
  /** Changes whenever a document of the store changes (the audit log's head): lists refresh on it. */
  storeMark: string;
  /** An encrypted password is stored on this PC (sync resumes after a restart). */
  passwordRemembered: boolean;
  /** This host can keep a password safely (the app with an OS keyring; never the preview or the CLI). */
  canRemember: boolean;
  /**
   * The remembered password was deleted during this run: `rejected` — the server refused it
   * (changed on the server); `unreadable` — it could not be decrypted (OS key changed, file
   * damaged). Sync then waits for the password to be entered again. null otherwise.
   */
  rememberedPasswordDropped: 'rejected' | 'unreadable' | null;
}

/** An outbox item the server refused (4xx), kept until it is sent again. */
export interface SyncRefusal {
  id: number;
  /** document: an outgoing document sent; status: a status message (đã đến, tiếp nhận…); ack: a delivery acknowledged; numbers: register numbers reported; feed: a change for the agency's other PCs. */
  kind: 'document' | 'status' | 'ack' | 'numbers' | 'feed' | 'other';
  documentId: number | null;
  documentSubject: string | null;
  /** số/ký hiệu of the document, when it has one */
  documentCode: string | null;
  /** The server's error code (UNKNOWN_RECIPIENT, NOT_HOLDER…), null when it gave none. */
  code: string | null;
  /** The server's own words (English for the reference server). */
  reason: string;
  refusedAt: string;
}

export interface SyncRunResult {
  ok: boolean;
  received: number;
  sent: number;
  rejected: number;
  error: string | null;
  state: SyncStateView;
}

export interface ExchangeRequest {
  id: number;
  documentId: number;
  newDocumentId: number | null;
  /** 1 recall (thu hồi), 2 update (cập nhật), 3 replacement (thay thế) */
  businessType: 1 | 2 | 3;
  reason: string | null;
  changes: Record<string, unknown> | null;
  state: 'pending' | 'agreed' | 'refused';
  createdAt: string;
  documentSubject: string;
  documentCode: string | null;
}

export interface ExchangeStatus {
  organId: string;
  organName: string | null;
  statusCode: string;
  description: string | null;
  at: string;
}

export interface DirectoryEntry {
  code: string;
  name: string;
}
