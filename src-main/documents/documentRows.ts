/**
 * Row type and mapper for documents, beside the queries that read them, and the
 * search-index writer (every text that should be findable goes through fold.ts).
 */
import { cachedStatement } from '../store/statements.js';
import type { Db } from '../store/database.js';
import type { Confidentiality, DocumentRecord, DocumentStatus, ReceivedSignature, ReceivedSignatureReason, ReceivedSignatureVerdict, StoredFile, Urgency } from '../api/types.js';
import { foldVietnamese, searchWords } from './fold.js';

export interface DocumentRow {
  id: number;
  direction: 'incoming' | 'outgoing';
  status: string;
  type_id: number;
  type_name: string;
  code_number: string | null;
  code_notation: string | null;
  document_date: string | null;
  subject: string;
  urgency: number;
  confidentiality: number;
  register_year: number | null;
  series: string | null;
  arrival_number: number | null;
  arrival_date: string | null;
  sender_name: string | null;
  recipient_unit_id: number | null;
  recipient_person: string | null;
  due_date: string | null;
  signer_name: string | null;
  signer_position: string | null;
  recipients: string | null;
  drafting_unit_id: number | null;
  issued_at: string | null;
  note: string | null;
  created_at: string;
  updated_at: string;
  /** received_verifications (LEFT JOIN on its primary key): null when the document has no row */
  rv_sha256: string | null;
  rv_verdict: string | null;
  rv_summary: string | null;
  rv_details: string | null;
  rv_verified_at: string | null;
}

/** One signature in `received_verifications.details` (sync/receivedSignatures.ts writes them). */
export interface ReceivedSignatureEntry {
  index: number;
  fieldName: string;
  /** the certificate's common name (its subject when it has none); null when the signature names no certificate */
  signer: string | null;
  /** ISO 8601 with offset, from the timestamp or as claimed */
  signingTime: string | null;
  verdict: 'valid' | 'invalid' | 'indeterminate';
  /** the checks that failed or could not decide (SignatureCheckName), most important first */
  reasons: string[];
}

/** `received_verifications.details`: the signatures, and why the document is not valid as a whole. */
export interface ReceivedSignatureDetails {
  signatures: ReceivedSignatureEntry[];
  reason: ReceivedSignatureReason | null;
}

/** Columns of DocumentRow, for `SELECT ${documentColumns} FROM documents d JOIN document_types t …`. */
export const documentColumns = `d.id, d.direction, d.status, d.type_id, t.name AS type_name, d.code_number, d.code_notation,
  d.document_date, d.subject, d.urgency, d.confidentiality, d.register_year, d.series, d.arrival_number, d.arrival_date,
  d.sender_name, d.recipient_unit_id, d.recipient_person, d.due_date, d.signer_name, d.signer_position, d.recipients,
  d.drafting_unit_id, d.issued_at, d.note, d.created_at, d.updated_at,
  rv.sha256 AS rv_sha256, rv.verdict AS rv_verdict, rv.summary AS rv_summary, rv.details AS rv_details, rv.verified_at AS rv_verified_at`;

export const documentFrom = 'documents d JOIN document_types t ON t.id = d.type_id LEFT JOIN received_verifications rv ON rv.document_id = d.id';

export function formatCode(number: string | null, notation: string | null): string | null {
  if (!number && !notation) return null;
  return `${number ?? ''}/${notation ?? ''}`;
}

export function toRecord(row: DocumentRow, files: StoredFile[]): DocumentRecord {
  return {
    id: row.id,
    direction: row.direction,
    status: row.status as DocumentStatus,
    typeId: row.type_id,
    typeName: row.type_name,
    codeNumber: row.code_number,
    codeNotation: row.code_notation,
    code: formatCode(row.code_number, row.code_notation),
    documentDate: row.document_date,
    subject: row.subject,
    urgency: row.urgency as Urgency,
    confidentiality: row.confidentiality as Confidentiality,
    arrivalNumber: row.arrival_number,
    arrivalDate: row.arrival_date,
    senderName: row.sender_name,
    recipientUnitId: row.recipient_unit_id,
    recipientPerson: row.recipient_person,
    dueDate: row.due_date,
    signerName: row.signer_name,
    signerPosition: row.signer_position,
    recipients: row.recipients,
    draftingUnitId: row.drafting_unit_id,
    issuedAt: row.issued_at,
    note: row.note,
    files,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    receivedSignature: receivedSignatureOf(row, files),
  };
}

/**
 * The stored verdict, when it is about a file the document still has (a later main file
 * version — e.g. a copy signed here — waits for its own verification: null until then).
 */
function receivedSignatureOf(row: DocumentRow, files: StoredFile[]): ReceivedSignature | null {
  if (row.rv_verdict === null || row.rv_verified_at === null || !files.some((f) => f.sha256 === row.rv_sha256)) return null;
  const out: ReceivedSignature = { verdict: row.rv_verdict as ReceivedSignatureVerdict, verifiedAt: row.rv_verified_at };
  if (row.rv_summary) out.summary = row.rv_summary;
  try {
    const details = JSON.parse(row.rv_details ?? 'null') as ReceivedSignatureDetails | null;
    const names = [...new Set((details?.signatures ?? []).map((s) => s.signer).filter((n): n is string => Boolean(n)))];
    if (names.length) out.signer = names.join(', ');
    if (details?.reason) out.reason = details.reason;
  } catch {
    // details unreadable: the verdict and summary still stand
  }
  return out;
}

export function filesOf(db: Db, documentIds: number[]): Map<number, StoredFile[]> {
  const byDocument = new Map<number, StoredFile[]>();
  if (documentIds.length === 0) return byDocument;
  const rows = db
    .prepare(
      `SELECT df.document_id, df.sha256, df.name, f.mime, f.size FROM document_files df JOIN files f ON f.sha256 = df.sha256
       WHERE df.document_id IN (SELECT value FROM json_each(?)) ORDER BY df.role, df.name`,
    )
    .all(JSON.stringify(documentIds)) as Array<StoredFile & { document_id: number }>;
  for (const { document_id, ...file } of rows) {
    const list = byDocument.get(document_id) ?? [];
    list.push(file);
    byDocument.set(document_id, list);
  }
  return byDocument;
}

export function toRecords(db: Db, rows: DocumentRow[]): DocumentRecord[] {
  const files = filesOf(db, rows.map((r) => r.id));
  return rows.map((r) => toRecord(r, files.get(r.id) ?? []));
}

export function loadDocument(db: Db, id: number): DocumentRecord | null {
  const row = db.prepare(`SELECT ${documentColumns} FROM ${documentFrom} WHERE d.id = ?`).get(id) as DocumentRow | undefined;
  return row ? toRecords(db, [row])[0] ?? null : null;
}

/** Stores the extracted text of a document (an empty text is not stored). */
export function setBodyText(db: Db, id: number, body: string): void {
  if (body) db.prepare('INSERT OR REPLACE INTO document_texts (document_id, body) VALUES (?, ?)').run(id, body);
  else db.prepare('DELETE FROM document_texts WHERE document_id = ?').run(id);
}

/** (Re)writes the search-index row of a document from its stored fields. */
export function indexDocument(db: Db, id: number): void {
  const row = cachedStatement(
    db,
    `SELECT d.subject, d.code_number, d.code_notation, d.sender_name, d.signer_name, d.signer_position, d.recipients,
            d.recipient_person, d.note, x.body AS body_text, t.name AS type_name, t.abbreviation
     FROM ${documentFrom} LEFT JOIN document_texts x ON x.document_id = d.id WHERE d.id = ?`,
  ).get(id) as Record<string, string | null> | undefined;
  if (!row) return;
  const code = formatCode(row['code_number'] ?? null, row['code_notation'] ?? null);
  const meta = [row['subject'], code, row['type_name'], row['abbreviation'], row['sender_name'], row['signer_name'],
    row['signer_position'], row['recipients'], row['recipient_person'], row['note']]
    .filter(Boolean)
    .join(' \u2022 ');
  const foldedMeta = foldVietnamese(meta);
  const foldedBody = foldVietnamese(row['body_text'] ?? '');
  cachedStatement(db, 'DELETE FROM documents_fts WHERE rowid = ?').run(id);
  cachedStatement(db, 'DELETE FROM documents_meta_fts WHERE rowid = ?').run(id);
  cachedStatement(db, 'INSERT INTO documents_fts (rowid, meta, body) VALUES (?, ?, ?)').run(id, foldedMeta, foldedBody);
  cachedStatement(db, 'INSERT INTO documents_meta_fts (rowid, meta) VALUES (?, ?)').run(id, foldedMeta);
  const words = new Set(searchWords(`${foldedMeta} ${foldedBody}`));
  cachedStatement(db, 'INSERT OR IGNORE INTO search_terms (term) SELECT value FROM json_each(?)').run(JSON.stringify([...words]));
}
