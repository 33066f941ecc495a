/**
 * Outbox items the server refused (an answer in 4xx): each stays in the outbox, marked,
 * with the server's error code and words, until the clerk sends it again — after the cause
 * is mended (the recipient added to the server's directory, a register taken back…). The
 * renderer turns the code into a Vietnamese sentence and shows the server's words beside it.
 */
import { AppError } from '../api/errors.js';
import type { SyncRefusal } from '../api/types.js';
import { actorName } from '../documents/masterData.js';
import { appendAudit } from '../store/auditLog.js';
import type { Db } from '../store/database.js';

interface RefusedRow {
  id: number;
  kind: string;
  payload: string;
  document_id: number | null;
  refusal_code: string | null;
  last_error: string | null;
  refused_at: string | null;
  created_at: string;
  subject: string | null;
  code_number: string | null;
  code_notation: string | null;
}

function kindOf(row: RefusedRow): SyncRefusal['kind'] {
  if (row.kind === 'package') return (JSON.parse(row.payload) as { kind?: string }).kind === 'status' ? 'status' : 'document';
  if (row.kind === 'ack' || row.kind === 'numbers' || row.kind === 'feed') return row.kind;
  return 'other';
}

/** The refused items, newest first (at most `limit`). */
export function listRefusals(db: Db, limit = 200): SyncRefusal[] {
  const rows = db
    .prepare(
      `SELECT o.id, o.kind, o.payload, o.document_id, o.refusal_code, o.last_error, o.refused_at, o.created_at,
              d.subject, d.code_number, d.code_notation
       FROM outbox o LEFT JOIN documents d ON d.id = o.document_id
       WHERE o.state = 'rejected' ORDER BY o.id DESC LIMIT ?`,
    )
    .all(limit) as RefusedRow[];
  return rows.map((r) => ({
    id: r.id,
    kind: kindOf(r),
    documentId: r.document_id,
    documentSubject: r.subject,
    documentCode: r.code_number ? [r.code_number, r.code_notation].filter(Boolean).join('/') : null,
    code: r.refusal_code,
    reason: r.last_error ?? '',
    refusedAt: r.refused_at ?? r.created_at,
  }));
}

/** Puts a refused item back in the queue (sent at the next round); NOT_FOUND when it is not a refused item. */
export function retryRefusal(db: Db, id: number, at: Date = new Date()): void {
  db.transaction(() => {
    const row = db.prepare("SELECT document_id, kind FROM outbox WHERE id = ? AND state = 'rejected'").get(id) as { document_id: number | null; kind: string } | undefined;
    if (!row) throw new AppError('NOT_FOUND', 'No refused outbox item with this id');
    db.prepare("UPDATE outbox SET state = 'pending', next_attempt_at = 0, refusal_code = NULL, refused_at = NULL WHERE id = ?").run(id);
    if (row.document_id !== null) {
      appendAudit(db, { actor: actorName(db), action: 'sync.retry', entity: 'document', entityId: row.document_id, at: at.toISOString(), payload: { outbox: id, kind: row.kind } });
    }
  }).immediate();
}
