/**
 * Sổ văn bản đến: registering a received document. Số đến is consecutive per
 * calendar year of the arrival date (Asia/Ho_Chi_Minh), with a separate series for
 * classified documents. A likely duplicate (same sender, số/ký hiệu and date) is
 * reported instead of registered unless the clerk confirms.
 */
import { AppError } from '../api/errors.js';
import type { ApiParsedInput, IncomingRegisterInput } from '../api/contract.js';
import type { DocumentRecord } from '../api/types.js';
import { appendAudit } from '../store/auditLog.js';
import type { Db } from '../store/database.js';
import type { FileStore } from '../store/fileStore.js';
import { linkFile, storeUpload } from './attachments.js';
import { documentColumns, documentFrom, indexDocument, loadDocument, setBodyText, toRecords, type DocumentRow } from './documentRows.js';
import { foldVietnamese } from './fold.js';
import { actorName, requireAgency } from './masterData.js';
import { incomingSeries, queueNumberReport, takeLocalNumber } from './numbering.js';
import { extractPdfText } from './pdfText.js';
import { agencyDate, isCalendarDate } from './time.js';
import { decodeUpload } from './uploads.js';

export function senderKey(senderName: string): string {
  return foldVietnamese(senderName).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

export function findDuplicates(db: Db, q: ApiParsedInput<'incoming:findDuplicates'>): DocumentRecord[] {
  const rows = db
    .prepare(
      `SELECT ${documentColumns} FROM ${documentFrom}
       WHERE d.direction = 'incoming' AND d.sender_key = ? AND d.code_number = ? AND d.document_date = ?
         AND lower(d.code_notation) = lower(?) AND d.status <> 'cancelled'`,
    )
    .all(senderKey(q.senderName), q.codeNumber, q.documentDate, q.codeNotation) as DocumentRow[];
  return toRecords(db, rows);
}

export function checkReferences(db: Db, input: { typeId?: number | undefined; recipientUnitId?: number | null | undefined }): void {
  if (input.typeId !== undefined && !db.prepare('SELECT 1 FROM document_types WHERE id = ?').get(input.typeId)) {
    throw new AppError('INVALID_INPUT', 'Unknown document type', [{ path: 'typeId', message: 'unknown' }]);
  }
  if (input.recipientUnitId != null && !db.prepare('SELECT 1 FROM units WHERE id = ?').get(input.recipientUnitId)) {
    throw new AppError('INVALID_INPUT', 'Unknown unit', [{ path: 'recipientUnitId', message: 'unknown' }]);
  }
}

function checkDates(input: { documentDate?: string | undefined; dueDate?: string | null | undefined }, arrivalDate: string): void {
  for (const [path, value] of [['documentDate', input.documentDate], ['dueDate', input.dueDate], ['arrivalDate', arrivalDate]] as const) {
    if (value && !isCalendarDate(value)) throw new AppError('INVALID_INPUT', `Not a calendar date: ${path}`, [{ path, message: 'date' }]);
  }
  if (input.documentDate && input.documentDate > arrivalDate) {
    throw new AppError('INVALID_INPUT', 'Document date is after the arrival date', [{ path: 'documentDate', message: 'afterArrival' }]);
  }
}

export async function registerIncoming(
  db: Db,
  files: FileStore,
  input: IncomingRegisterInput,
  now: Date = new Date(),
): Promise<DocumentRecord> {
  requireAgency(db);
  const arrivalDate = input.arrivalDate ?? agencyDate(now);
  checkDates(input, arrivalDate);
  checkReferences(db, input);
  if (!input.confirmDuplicate) {
    const duplicates = findDuplicates(db, input);
    if (duplicates.length > 0) {
      throw new AppError('DUPLICATE_SUSPECTED', 'A document with the same sender, number and date is registered', duplicates);
    }
  }
  const upload = input.file ? decodeUpload(input.file, true) : null;
  const bodyText = upload ? await extractPdfText(upload.bytes) : '';
  const sha256 = upload ? storeUpload(files, upload) : null;
  return registerIncomingRecord(db, { ...input, arrivalDate, bodyText, upload, sha256 }, now);
}

type PreparedIncoming = Omit<IncomingRegisterInput, 'file' | 'confirmDuplicate' | 'arrivalDate'> & {
  arrivalDate: string;
  bodyText: string;
  upload: ReturnType<typeof decodeUpload> | null;
  sha256: string | null;
};

/** The synchronous, transactional part of registering: number, row, file link, index, audit. */
export function registerIncomingRecord(db: Db, doc: PreparedIncoming, now: Date = new Date()): DocumentRecord {
  const id = db.transaction(() => {
    const year = Number(doc.arrivalDate.slice(0, 4));
    const series = incomingSeries(doc.confidentiality);
    const arrivalNumber = takeLocalNumber(db, year, series);
    const stamp = now.toISOString();
    const newId = Number(
      db
        .prepare(
          `INSERT INTO documents (direction, status, type_id, code_number, code_notation, document_date, subject, urgency,
             confidentiality, register_year, series, arrival_number, arrival_date, sender_name, sender_key, recipient_unit_id,
             recipient_person, due_date, note, created_at, updated_at)
           VALUES ('incoming', 'registered', @typeId, @codeNumber, @codeNotation, @documentDate, @subject, @urgency,
             @confidentiality, @year, @series, @arrivalNumber, @arrivalDate, @senderName, @senderKey, @recipientUnitId,
             @recipientPerson, @dueDate, @note, @stamp, @stamp)`,
        )
        .run({
          typeId: doc.typeId,
          codeNumber: doc.codeNumber,
          codeNotation: doc.codeNotation,
          documentDate: doc.documentDate,
          subject: doc.subject,
          urgency: doc.urgency,
          confidentiality: doc.confidentiality,
          year,
          series,
          arrivalNumber,
          arrivalDate: doc.arrivalDate,
          senderName: doc.senderName,
          senderKey: senderKey(doc.senderName),
          recipientUnitId: doc.recipientUnitId,
          recipientPerson: doc.recipientPerson,
          dueDate: doc.dueDate,
          note: doc.note,
          stamp,
        }).lastInsertRowid,
    );
    queueNumberReport(db, year, series, arrivalNumber, newId, now);
    if (doc.upload && doc.sha256) linkFile(db, newId, doc.sha256, doc.upload);
    setBodyText(db, newId, doc.bodyText);
    indexDocument(db, newId);
    appendAudit(db, {
      actor: actorName(db),
      action: 'incoming.register',
      entity: 'document',
      entityId: newId,
      at: stamp,
      payload: { arrivalNumber, year, series, code: `${doc.codeNumber}/${doc.codeNotation}`, file: doc.sha256 },
    });
    return newId;
  }).immediate();
  const record = loadDocument(db, id);
  if (!record) throw new Error('registered document vanished');
  return record;
}
