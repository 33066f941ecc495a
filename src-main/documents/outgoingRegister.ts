/**
 * Sổ văn bản đi: drafts, then issuance. Số and date are assigned at issuance
 * (NĐ 30 Điều 15), consecutive per calendar year in Asia/Ho_Chi_Minh, in the series
 * the agency's scheme names; ký hiệu is `<type abbreviation>-<agency>` or, for a
 * công văn (no abbreviation), `<agency>-<drafting unit>`: 05/QĐ-UBND, 45/UBND-VP.
 */
import { AppError } from '../api/errors.js';
import type { OutgoingDraftInput } from '../api/contract.js';
import type { DocumentRecord } from '../api/types.js';
import { appendAudit } from '../store/auditLog.js';
import type { Db } from '../store/database.js';
import type { FileStore } from '../store/fileStore.js';
import { linkFile, storeUpload } from './attachments.js';
import { indexDocument, loadDocument, setBodyText } from './documentRows.js';
import { actorName, numberingScheme, requireAgency } from './masterData.js';
import { formatNumber, outgoingSeries, queueNumberReport, takeLocalNumber } from './numbering.js';
import { extractPdfText } from './pdfText.js';
import { agencyDate, isCalendarDate } from './time.js';
import { decodeUpload } from './uploads.js';

export async function saveDraft(db: Db, files: FileStore, input: OutgoingDraftInput, now = new Date()): Promise<DocumentRecord> {
  requireAgency(db);
  if (!db.prepare('SELECT 1 FROM document_types WHERE id = ?').get(input.typeId)) {
    throw new AppError('INVALID_INPUT', 'Unknown document type', [{ path: 'typeId', message: 'unknown' }]);
  }
  if (input.draftingUnitId !== null && !db.prepare('SELECT 1 FROM units WHERE id = ?').get(input.draftingUnitId)) {
    throw new AppError('INVALID_INPUT', 'Unknown unit', [{ path: 'draftingUnitId', message: 'unknown' }]);
  }
  const upload = input.file ? decodeUpload(input.file, false) : null;
  const bodyText = upload?.mime === 'application/pdf' ? await extractPdfText(upload.bytes) : null;
  const sha256 = upload ? storeUpload(files, upload) : null;
  const stamp = now.toISOString();
  const fields = {
    typeId: input.typeId,
    subject: input.subject,
    signerName: input.signerName,
    signerPosition: input.signerPosition,
    recipients: input.recipients,
    draftingUnitId: input.draftingUnitId,
    urgency: input.urgency,
    confidentiality: input.confidentiality,
    note: input.note,
    stamp,
  };
  const id = db.transaction(() => {
    let draftId = input.id;
    if (draftId === undefined) {
      draftId = Number(
        db
          .prepare(
            `INSERT INTO documents (direction, status, type_id, subject, signer_name, signer_position, recipients, drafting_unit_id,
               urgency, confidentiality, note, created_at, updated_at)
             VALUES ('outgoing', 'draft', @typeId, @subject, @signerName, @signerPosition, @recipients, @draftingUnitId,
               @urgency, @confidentiality, @note, @stamp, @stamp)`,
          )
          .run(fields).lastInsertRowid,
      );
    } else {
      const status = db.prepare("SELECT status FROM documents WHERE id = ? AND direction = 'outgoing'").pluck().get(draftId);
      if (status === undefined) throw new AppError('NOT_FOUND', 'Draft not found');
      if (status !== 'draft') throw new AppError('CONFLICT', 'Only drafts can be edited; this document is issued');
      db.prepare(
        `UPDATE documents SET type_id = @typeId, subject = @subject, signer_name = @signerName, signer_position = @signerPosition,
           recipients = @recipients, drafting_unit_id = @draftingUnitId, urgency = @urgency, confidentiality = @confidentiality,
           note = @note, updated_at = @stamp WHERE id = @id`,
      ).run({ ...fields, id: draftId });
    }
    if (upload && sha256) {
      linkFile(db, draftId, sha256, upload);
      if (bodyText !== null) setBodyText(db, draftId, bodyText);
    }
    indexDocument(db, draftId);
    appendAudit(db, {
      actor: actorName(db),
      action: input.id === undefined ? 'outgoing.createDraft' : 'outgoing.updateDraft',
      entity: 'document',
      entityId: draftId,
      at: stamp,
      payload: { subject: input.subject, file: sha256 },
    });
    return draftId;
  }).immediate();
  return mustLoad(db, id);
}

export function issueDocument(db: Db, input: { id: number; documentDate?: string | undefined }, now = new Date()): DocumentRecord {
  const agency = requireAgency(db);
  const documentDate = input.documentDate ?? agencyDate(now);
  if (!isCalendarDate(documentDate)) throw new AppError('INVALID_INPUT', 'Not a calendar date', [{ path: 'documentDate', message: 'date' }]);
  db.transaction(() => {
    const doc = db
      .prepare(
        `SELECT d.status, d.type_id, d.confidentiality, d.drafting_unit_id, t.abbreviation, u.short_name AS unit_short
         FROM documents d JOIN document_types t ON t.id = d.type_id LEFT JOIN units u ON u.id = d.drafting_unit_id
         WHERE d.id = ? AND d.direction = 'outgoing'`,
      )
      .get(input.id) as
      | { status: string; type_id: number; confidentiality: number; abbreviation: string | null; unit_short: string | null }
      | undefined;
    if (!doc) throw new AppError('NOT_FOUND', 'Document not found');
    if (doc.status !== 'draft') throw new AppError('CONFLICT', 'Document is already issued');
    if (!doc.abbreviation && !doc.unit_short) {
      throw new AppError('INVALID_INPUT', 'A công văn needs its drafting unit to form its ký hiệu', [
        { path: 'draftingUnitId', message: 'required' },
      ]);
    }
    const notation = doc.abbreviation ? `${doc.abbreviation}-${agency.shortName}` : `${agency.shortName}-${doc.unit_short}`;
    const year = Number(documentDate.slice(0, 4));
    const series = outgoingSeries(numberingScheme(db), doc.type_id, doc.confidentiality);
    const taken = takeLocalNumber(db, year, series);
    queueNumberReport(db, year, series, taken, input.id, now);
    const number = formatNumber(taken);
    const stamp = now.toISOString();
    db.prepare(
      `UPDATE documents SET status = 'issued', code_number = ?, code_notation = ?, document_date = ?, register_year = ?, series = ?,
         issued_at = ?, updated_at = ? WHERE id = ?`,
    ).run(number, notation, documentDate, year, series, stamp, stamp, input.id);
    indexDocument(db, input.id);
    appendAudit(db, {
      actor: actorName(db),
      action: 'outgoing.issue',
      entity: 'document',
      entityId: input.id,
      at: stamp,
      payload: { code: `${number}/${notation}`, documentDate, year, series },
    });
  }).immediate();
  return mustLoad(db, input.id);
}

function mustLoad(db: Db, id: number): DocumentRecord {
  const record = loadDocument(db, id);
  if (!record) throw new AppError('NOT_FOUND', 'Document not found');
  return record;
}
