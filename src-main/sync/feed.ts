/**
 * The agency's own records across its several PCs: a change feed on the server.
 *
 * Push: every change to a document appends an audit row in the same transaction as the
 * change (store/auditLog.ts), so the audit log is the persisted outbox of the feed: rows
 * after a persisted cursor are turned into idempotent `document.upsert` mutations (key =
 * this PC + audit row id, so a retry after a lost answer is harmless) carrying the
 * document's current register fields. Classified documents never leave the PC, nor do
 * drafts and documents still waiting for acceptance.
 *
 * Pull: entries of other PCs after the persisted cursor are applied in one transaction
 * per page (last writer by server order wins); a replicated document keeps the identity
 * of the PC that created it (`<pc>:<id>`), so a leader's assignment on the clerk's
 * registration flows back to the clerk. Files are not replicated (metadata only).
 */
import { appendAudit } from '../store/auditLog.js';
import type { Db } from '../store/database.js';
import { cachedStatement } from '../store/statements.js';
import { indexDocument } from '../documents/documentRows.js';
import { senderKey } from '../documents/incomingRegister.js';
import { createLogger } from '../log.js';
import type { ExchangeContext } from './exchange.js';
import { getState, setState } from './state.js';
import { withLogin } from './transport.js';
import type { FeedEntry, FeedMutation } from './wire.js';

const log = createLogger('sync.feed');

interface Snapshot {
  direction: 'incoming' | 'outgoing';
  status: string;
  typeName: string;
  codeNumber: string | null;
  codeNotation: string | null;
  documentDate: string | null;
  subject: string;
  urgency: number;
  registerYear: number | null;
  series: string | null;
  arrivalNumber: number | null;
  arrivalDate: string | null;
  senderName: string | null;
  recipientUnit: string | null;
  recipientPerson: string | null;
  dueDate: string | null;
  signerName: string | null;
  signerPosition: string | null;
  recipients: string | null;
  draftingUnit: string | null;
  issuedAt: string | null;
  note: string | null;
  createdAt: string;
}

function snapshot(db: Db, id: number): (Snapshot & { confidentiality: number }) | null {
  return (
    (cachedStatement(
      db,
      `SELECT d.direction, d.status, t.name AS typeName, d.code_number AS codeNumber, d.code_notation AS codeNotation,
                d.document_date AS documentDate, d.subject, d.urgency, d.confidentiality, d.register_year AS registerYear, d.series,
                d.arrival_number AS arrivalNumber, d.arrival_date AS arrivalDate, d.sender_name AS senderName,
                ru.short_name AS recipientUnit, d.recipient_person AS recipientPerson, d.due_date AS dueDate,
                d.signer_name AS signerName, d.signer_position AS signerPosition, d.recipients, du.short_name AS draftingUnit,
                d.issued_at AS issuedAt, d.note, d.created_at AS createdAt
         FROM documents d JOIN document_types t ON t.id = d.type_id
         LEFT JOIN units ru ON ru.id = d.recipient_unit_id LEFT JOIN units du ON du.id = d.drafting_unit_id WHERE d.id = ?`,
    ).get(id) as (Snapshot & { confidentiality: number }) | undefined) ?? null
  );
}

/** Pushes this PC's document changes (from the audit log) to the feed. Returns the number pushed. */
export async function pushFeed(ctx: ExchangeContext, maxRounds = 50): Promise<number> {
  const { db, transport } = ctx;
  const records = transport?.records;
  if (!transport || !records) return 0;
  let pushed = 0;
  for (let round = 0; round < maxRounds; round += 1) {
    const cursor = Number(getState(db, 'feed_audit_cursor') ?? '0');
    const rows = db
      .prepare(
        `SELECT id, entity_id FROM audit_log WHERE id > ? AND entity = 'document' AND entity_id IS NOT NULL
         AND action NOT LIKE 'feed.%' ORDER BY id LIMIT 300`,
      )
      .all(cursor) as Array<{ id: number; entity_id: number }>;
    if (rows.length === 0) return pushed;
    const latest = new Map<number, number>();
    for (const r of rows) latest.set(r.entity_id, r.id);
    const mutations: FeedMutation[] = [];
    for (const [docId, auditId] of latest) {
      const snap = snapshot(db, docId);
      if (!snap || snap.confidentiality > 0 || snap.status === 'draft' || snap.status === 'pending') continue;
      const { confidentiality: _c, ...payload } = snap;
      const uid = (db.prepare('SELECT uid FROM feed_links WHERE document_id = ?').pluck().get(docId) as string | undefined) ?? `${ctx.pcId}:${docId}`;
      mutations.push({ key: `${ctx.pcId}:audit:${auditId}`, entity: 'document', entityKey: uid, op: 'upsert', payload });
    }
    if (mutations.length > 0) await withLogin(transport, () => records.pushFeed(mutations));
    pushed += mutations.length;
    setState(db, 'feed_audit_cursor', String(rows.at(-1)?.id ?? cursor));
  }
  return pushed;
}

function unitId(db: Db, shortName: string | null): number | null {
  if (!shortName) return null;
  return (db.prepare('SELECT id FROM units WHERE short_name = ?').pluck().get(shortName) as number | undefined) ?? null;
}

function typeId(db: Db, name: string): number {
  return (
    (db.prepare('SELECT id FROM document_types WHERE name = ?').pluck().get(name) as number | undefined) ??
    (db.prepare("SELECT id FROM document_types WHERE name = 'Công văn'").pluck().get() as number)
  );
}

function apply(ctx: ExchangeContext, e: FeedEntry): void {
  const { db } = ctx;
  if (e.entity !== 'document' || e.op !== 'upsert') return;
  const s = e.payload as Snapshot;
  const [originPc, originId] = splitUid(e.entityKey);
  const params = {
    direction: s.direction,
    status: s.status,
    typeId: typeId(db, s.typeName),
    codeNumber: s.codeNumber,
    codeNotation: s.codeNotation,
    documentDate: s.documentDate,
    subject: s.subject,
    urgency: s.urgency,
    registerYear: s.registerYear,
    series: s.series,
    arrivalNumber: s.arrivalNumber,
    arrivalDate: s.arrivalDate,
    senderName: s.senderName,
    senderKey: s.senderName ? senderKey(s.senderName) : null,
    recipientUnitId: unitId(db, s.recipientUnit),
    recipientPerson: s.recipientPerson,
    dueDate: s.dueDate,
    signerName: s.signerName,
    signerPosition: s.signerPosition,
    recipients: s.recipients,
    draftingUnitId: unitId(db, s.draftingUnit),
    issuedAt: s.issuedAt,
    note: s.note,
    createdAt: s.createdAt,
    updatedAt: e.at,
  };
  let docId: number | null =
    originPc === ctx.pcId ? originId : ((db.prepare('SELECT document_id FROM feed_links WHERE uid = ?').pluck().get(e.entityKey) as number | undefined) ?? null);
  if (docId !== null && db.prepare('SELECT 1 FROM documents WHERE id = ?').get(docId)) {
    db.prepare(
      `UPDATE documents SET status = @status, type_id = @typeId, code_number = @codeNumber, code_notation = @codeNotation,
         document_date = @documentDate, subject = @subject, urgency = @urgency, sender_name = @senderName, sender_key = @senderKey,
         recipient_unit_id = @recipientUnitId, recipient_person = @recipientPerson, due_date = @dueDate, signer_name = @signerName,
         signer_position = @signerPosition, recipients = @recipients, note = @note, updated_at = @updatedAt WHERE id = @id`,
    ).run({ ...params, id: docId });
  } else if (originPc !== ctx.pcId) {
    docId = Number(
      db
        .prepare(
          `INSERT INTO documents (direction, status, type_id, code_number, code_notation, document_date, subject, urgency, confidentiality,
             register_year, series, arrival_number, arrival_date, sender_name, sender_key, recipient_unit_id, recipient_person, due_date,
             signer_name, signer_position, recipients, drafting_unit_id, issued_at, note, created_at, updated_at)
           VALUES (@direction, @status, @typeId, @codeNumber, @codeNotation, @documentDate, @subject, @urgency, 0, @registerYear, @series,
             @arrivalNumber, @arrivalDate, @senderName, @senderKey, @recipientUnitId, @recipientPerson, @dueDate, @signerName,
             @signerPosition, @recipients, @draftingUnitId, @issuedAt, @note, @createdAt, @updatedAt)`,
        )
        .run(params).lastInsertRowid,
    );
    db.prepare('INSERT INTO feed_links (uid, document_id, seq) VALUES (?, ?, ?)').run(e.entityKey, docId, e.seq);
  } else return;
  indexDocument(db, docId);
  appendAudit(db, { actor: e.username, action: 'feed.apply', entity: 'document', entityId: docId, at: e.at, payload: { seq: e.seq, from: e.pcId, status: s.status } });
}

function splitUid(uid: string): [string, number] {
  const i = uid.lastIndexOf(':');
  return [uid.slice(0, i), Number(uid.slice(i + 1))];
}

/** Applies other PCs' changes. Returns the number applied. */
export async function pullFeed(ctx: ExchangeContext, maxPages = 100): Promise<number> {
  const { db, transport } = ctx;
  const records = transport?.records;
  if (!transport || !records) return 0;
  let applied = 0;
  for (let page = 0; page < maxPages; page += 1) {
    const cursor = Number(getState(db, 'feed_cursor') ?? '0');
    const { items, cursor: next } = await withLogin(transport, () => records.pullFeed(cursor, 500));
    if (items.length === 0) return applied;
    db.transaction(() => {
      for (const e of items) {
        if (e.pcId === ctx.pcId) continue;
        try {
          db.transaction(() => apply(ctx, e))();
          applied += 1;
        } catch (error) {
          // A conflicting replicated number (unique index) is reported, never applied twice.
          log.error('feed entry not applied', { seq: e.seq, message: error instanceof Error ? error.message : String(error) });
          setState(db, `feed_conflict:${e.seq}`, error instanceof Error ? error.message : String(error));
        }
      }
      setState(db, 'feed_cursor', String(next));
    }).immediate();
  }
  return applied;
}
