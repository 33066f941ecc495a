/**
 * Corrections to a registered incoming document. The register number and year never
 * change; moving a document between the ordinary and the classified register is
 * refused (it would need a number from the other series).
 */
import { AppError } from '../api/errors.js';
import type { DocumentUpdateInput } from '../api/contract.js';
import type { DocumentRecord } from '../api/types.js';
import { appendAudit } from '../store/auditLog.js';
import type { Db } from '../store/database.js';
import { indexDocument, loadDocument } from './documentRows.js';
import { checkReferences, senderKey } from './incomingRegister.js';
import { actorName } from './masterData.js';
import { isCalendarDate } from './time.js';

const columns: Record<keyof DocumentUpdateInput['patch'], string> = {
  subject: 'subject',
  typeId: 'type_id',
  senderName: 'sender_name',
  codeNumber: 'code_number',
  codeNotation: 'code_notation',
  documentDate: 'document_date',
  urgency: 'urgency',
  confidentiality: 'confidentiality',
  recipientUnitId: 'recipient_unit_id',
  recipientPerson: 'recipient_person',
  dueDate: 'due_date',
  note: 'note',
};

export function updateIncoming(db: Db, input: DocumentUpdateInput, now = new Date()): DocumentRecord {
  const before = loadDocument(db, input.id);
  if (!before) throw new AppError('NOT_FOUND', 'Document not found');
  if (before.direction !== 'incoming') throw new AppError('CONFLICT', 'Outgoing documents are edited as drafts');
  const patch = input.patch;
  checkReferences(db, patch);
  for (const key of ['documentDate', 'dueDate'] as const) {
    const value = patch[key];
    if (value && !isCalendarDate(value)) throw new AppError('INVALID_INPUT', `Not a calendar date: ${key}`, [{ path: key, message: 'date' }]);
  }
  if (patch.confidentiality !== undefined && (patch.confidentiality > 0) !== (before.confidentiality > 0)) {
    throw new AppError('CONFLICT', 'Moving a document between the ordinary and the classified register is not allowed');
  }
  const changes: Array<[string, unknown, unknown]> = [];
  for (const [key, value] of Object.entries(patch) as Array<[keyof typeof columns, unknown]>) {
    if (value === undefined) continue;
    const previous = (before as unknown as Record<string, unknown>)[key];
    if (previous !== value) changes.push([key, previous, value]);
  }
  if (changes.length === 0) return before;
  db.transaction(() => {
    for (const [key, , value] of changes) {
      db.prepare(`UPDATE documents SET ${columns[key as keyof typeof columns]} = ? WHERE id = ?`).run(value as never, input.id);
    }
    if (patch.senderName !== undefined) db.prepare('UPDATE documents SET sender_key = ? WHERE id = ?').run(senderKey(patch.senderName), input.id);
    db.prepare('UPDATE documents SET updated_at = ? WHERE id = ?').run(now.toISOString(), input.id);
    indexDocument(db, input.id);
    appendAudit(db, {
      actor: actorName(db),
      action: 'incoming.update',
      entity: 'document',
      entityId: input.id,
      payload: Object.fromEntries(changes.map(([k, from, to]) => [k, { from, to }])),
    });
  }).immediate();
  return loadDocument(db, input.id) as DocumentRecord;
}
