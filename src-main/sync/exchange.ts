/**
 * Inter-agency exchange on the local store: committing a received package (one
 * transaction: document or status or request, delivery record, cursor, transport
 * ack and status 01 queued in the outbox), the clerk's answers (accept 03, return 02,
 * agree 15 / refuse 16 to recall/update/replace), and queuing an outgoing document,
 * a recall or an update for sending.
 */
import crypto from 'node:crypto';
import { AppError } from '../api/errors.js';
import type { Agency, ExchangeRequest } from '../api/types.js';
import { indexDocument, loadDocument, setBodyText } from '../documents/documentRows.js';
import { senderKey } from '../documents/incomingRegister.js';
import { actorName, requireAgency } from '../documents/masterData.js';
import { documentRef, incomingSeries } from '../documents/numbering.js';
import { extractPdfText } from '../documents/pdfText.js';
import { agencyDate } from '../documents/time.js';
import {
  buildEdxml,
  buildStatus,
  formatDocumentId,
  type Attachment,
  type BusinessDocType,
  type EdxmlPackage,
  type Organization,
  type StatusMessage,
} from '../edxml/index.js';
import { appendAudit } from '../store/auditLog.js';
import type { Db } from '../store/database.js';
import { cachedStatement } from '../store/statements.js';
import type { FileStore } from '../store/fileStore.js';
import { allocateNumber, commitNumber } from './leases.js';
import { enqueue, getState, setState } from './state.js';
import type { InboxItem, SyncTransport } from './transport.js';

export interface ExchangeContext {
  db: Db;
  files: FileStore;
  pcId: string;
  /** Null when this PC has no server configured: it is then the owner of every series. */
  transport: SyncTransport | null;
  now?: () => Date;
  /** Whether the main PDF of an outgoing document carries its signature. Default: a PDF signature dictionary is present. */
  isSigned?: (pdf: Buffer) => boolean;
}

const secrecyNames = ['Thường', 'Mật', 'Tối mật', 'Tuyệt mật'];

function nowOf(ctx: ExchangeContext): Date {
  return ctx.now?.() ?? new Date();
}

export function ownOrganization(agency: Agency): Organization {
  return { organId: agency.code, organName: agency.name };
}

// ---------------------------------------------------------------------------
// Receiving

export type ReceiveOutcome = 'document' | 'duplicate' | 'status' | 'request' | 'orphan' | 'invalid';

/** An attachment of a received package, its bytes in the file store. */
export interface ReceivedAttachment {
  contentId: string;
  name: string;
  contentType: string;
  description?: string;
  size: number;
}

export type ReceivedDocument = Omit<EdxmlPackage, 'attachments'> & { attachments: ReceivedAttachment[] };

export type ReceivedParse = { kind: 'document'; document: ReceivedDocument } | { kind: 'status'; status: StatusMessage };

/** Prepared outside the transaction: parsed package and attachments in the file store. */
export interface PreparedReceipt {
  item: InboxItem;
  parsed: ReceivedParse | null;
  parseError: string | null;
  stored: Array<{ attachment: ReceivedAttachment; sha256: string }>;
}

/** "Now" for the parser's not-in-the-future rules: two days of clock skew allowed. */
export function receiveParseNow(ctx: ExchangeContext): Date {
  return new Date(nowOf(ctx).getTime() + 48 * 3600 * 1000);
}

const stmt = cachedStatement;

/** Agency and actor, read once for a group of receipts (they do not change inside its transaction). */
let groupMemo: { agency: Agency; actor: string } | null = null;

function typeIdFor(db: Db, typeName: string | undefined): number {
  const byName = typeName ? (stmt(db, 'SELECT id FROM document_types WHERE name = ?').pluck().get(typeName.trim()) as number | undefined) : undefined;
  if (byName !== undefined) return byName;
  const fallback = stmt(db, "SELECT id FROM document_types WHERE name = 'Công văn'").pluck().get() as number | undefined;
  return fallback ?? (stmt(db, 'SELECT min(id) FROM document_types').pluck().get() as number);
}

function insertIncomingPending(ctx: ExchangeContext, pkg: ReceivedDocument, prepared: PreparedReceipt, stamp: string): number {
  const { db } = ctx;
  const h = pkg.header;
  const senderName = h.from.organName ?? h.from.organId;
  const id = Number(
    stmt(db, 
        `INSERT INTO documents (direction, status, type_id, code_number, code_notation, document_date, subject, urgency,
           confidentiality, sender_name, sender_key, due_date, signer_name, signer_position, note, created_at, updated_at)
         VALUES ('incoming', 'pending', @typeId, @codeNumber, @codeNotation, @documentDate, @subject, @urgency, 0,
           @senderName, @senderKey, @dueDate, @signerName, @signerPosition, @note, @stamp, @stamp)`,
      )
      .run({
        typeId: typeIdFor(db, h.documentType?.typeName),
        codeNumber: h.code.codeNumber.slice(0, 11),
        codeNotation: h.code.codeNotation.slice(0, 30),
        documentDate: h.promulgationInfo.promulgationDate,
        subject: h.subject,
        urgency: h.otherInfo?.priority ?? 0,
        senderName,
        senderKey: senderKey(senderName),
        dueDate: h.dueDate ?? null,
        signerName: h.signerInfo?.fullName ?? null,
        signerPosition: [h.signerInfo?.competence, h.signerInfo?.position].filter(Boolean).join(' ') || null,
        note: null,
        stamp,
      }).lastInsertRowid,
  );
  prepared.stored.forEach(({ attachment, sha256 }, i) => {
    stmt(db, 'INSERT OR IGNORE INTO files (sha256, size, mime) VALUES (?, ?, ?)').run(sha256, attachment.size, attachment.contentType);
    stmt(db, 'INSERT OR IGNORE INTO document_files (document_id, sha256, name, role) VALUES (?, ?, ?, ?)').run(
      id,
      sha256,
      attachment.name,
      i === 0 ? 'main' : 'attachment',
    );
  });
  stmt(db, 
    `INSERT INTO exchange_documents (document_id, edxml_document_id, sender_code, sender_name, direction, promulgation_date, code)
     VALUES (?, ?, ?, ?, 'incoming', ?, ?)`,
  ).run(id, h.documentId, h.from.organId, senderName, h.promulgationInfo.promulgationDate, `${h.code.codeNumber}/${h.code.codeNotation}`);
  indexDocument(db, id);
  return id;
}

function statusFor(
  db: Db,
  documentId: number,
  code: string,
  description: string,
  at: Date,
): { message: Record<string, unknown>; key: string } {
  const agency = groupMemo?.agency ?? requireAgency(db);
  const link = stmt(db, 'SELECT edxml_document_id, sender_code, promulgation_date, code FROM exchange_documents WHERE document_id = ?')
    .get(documentId) as { edxml_document_id: string; sender_code: string; promulgation_date: string; code: string } | undefined;
  if (!link) throw new AppError('NOT_FOUND', 'This document did not come over the exchange');
  const message = {
    from: ownOrganization(agency),
    responseFor: { organId: link.sender_code, code: link.code, promulgationDate: link.promulgation_date, documentId: link.edxml_document_id },
    staffInfo: { staff: groupMemo?.actor ?? actorName(db) },
    statusCode: code,
    description,
    timestamp: at.toISOString(),
  };
  return { message, key: `status:${agency.code}:${link.edxml_document_id}:${code}:${crypto.randomUUID()}` };
}

/** Queues a status message about an exchanged document (inside the caller's transaction). */
export function queueStatus(db: Db, documentId: number, code: string, description: string, at: Date, key?: string): void {
  const s = statusFor(db, documentId, code, description, at);
  enqueue(db, { key: key ?? s.key, kind: 'package', payload: { kind: 'status', message: s.message }, documentId }, at);
}

export function statusBytes(payload: { message: Record<string, unknown> }): Uint8Array {
  const m = payload.message as unknown as StatusMessage & { timestamp: string };
  return buildStatus({ ...m, timestamp: new Date(m.timestamp) });
}


/**
 * Commits one received delivery in one transaction: the document (chờ tiếp nhận), the
 * status or the request it carries, the delivery record, the new cursor, and the
 * transport ack and status 01 queued. Returns what it was.
 */
export function commitReceipt(ctx: ExchangeContext, prepared: PreparedReceipt, cursor: string | null): { outcome: ReceiveOutcome; documentId: number | null } {
  return ctx.db.transaction(() => commitOne(ctx, prepared, cursor)).immediate();
}

/**
 * Commits several received deliveries, in order, in one transaction (one WAL write for
 * the group): each is exactly what commitReceipt would commit, and the group is all or
 * nothing, so each delivery is too. The acks it queues leave only after the engine has
 * flushed the log (SyncEngine.makeDurable), so only for deliveries that survive a power cut.
 */
export function commitReceipts(
  ctx: ExchangeContext,
  group: ReadonlyArray<{ prepared: PreparedReceipt | null; item: InboxItem; cursor: string | null }>,
): Array<{ outcome: ReceiveOutcome | 'known'; documentId: number | null }> {
  const { db } = ctx;
  try {
    groupMemo = { agency: requireAgency(db), actor: actorName(db) };
    return db
      .transaction(() =>
        group.map((g) => {
          if (g.prepared) return commitOne(ctx, g.prepared, g.cursor);
          // Already committed in an earlier round (listed again): only the cursor moves.
          if (g.cursor !== null) setState(db, 'inbox_cursor', g.cursor);
          return { outcome: 'known' as const, documentId: null };
        }),
      )
      .immediate();
  } finally {
    groupMemo = null;
  }
}

function commitOne(ctx: ExchangeContext, prepared: PreparedReceipt, cursor: string | null): { outcome: ReceiveOutcome; documentId: number | null } {
  const { db } = ctx;
  const at = nowOf(ctx);
  const stamp = at.toISOString();
  const item = prepared.item;
  return ((): { outcome: ReceiveOutcome; documentId: number | null } => {
    const already = stmt(db, 'SELECT outcome, document_id FROM exchange_inbox WHERE delivery_key = ?').get(item.key) as
      | { outcome: ReceiveOutcome; document_id: number | null }
      | undefined;
    if (already) {
      if (cursor !== null) setState(db, 'inbox_cursor', cursor);
      return { outcome: already.outcome, documentId: already.document_id };
    }
    let outcome: ReceiveOutcome;
    let documentId: number | null = null;
    let ack: { result: 'done' | 'fail'; reason?: string } = { result: 'done' };
    const parsed = prepared.parsed;
    if (!parsed) {
      outcome = 'invalid';
      ack = { result: 'fail', reason: `Invalid edXML: ${prepared.parseError ?? 'unknown'}`.slice(0, 1000) };
    } else if (parsed.kind === 'status') {
      const s = parsed.status;
      documentId =
        (stmt(db, 'SELECT document_id FROM exchange_documents WHERE edxml_document_id = ? AND sender_code = ?')
          .pluck()
          .get(s.responseFor.documentId, s.responseFor.organId) as number | undefined) ?? null;
      if (documentId === null) outcome = 'orphan';
      else {
        outcome = 'status';
        stmt(db, 'INSERT OR IGNORE INTO exchange_statuses (document_id, organ_id, status_code, description, at, delivery_key) VALUES (?, ?, ?, ?, ?, ?)').run(
          documentId,
          s.from.organId,
          s.statusCode,
          s.description ?? null,
          s.timestamp.toISOString(),
          item.key,
        );
        appendAudit(db, {
          actor: s.from.organName ?? s.from.organId,
          action: 'exchange.status',
          entity: 'document',
          entityId: documentId,
          at: stamp,
          payload: { from: s.from.organId, statusCode: s.statusCode, description: s.description ?? null },
        });
      }
    } else {
      const pkg = parsed.document;
      const business = pkg.traceHeaderList.business;
      const type = business?.docType ?? 0;
      const sender = pkg.header.from.organId;
      const findLocal = (edxmlId: string): number | null =>
        (stmt(db, "SELECT document_id FROM exchange_documents WHERE edxml_document_id = ? AND sender_code = ? AND direction = 'incoming'")
          .pluck()
          .get(edxmlId, sender) as number | undefined) ?? null;
      if (type === 1 || type === 2) {
        documentId = findLocal(business?.documentId ?? pkg.header.documentId);
        if (documentId === null) outcome = 'orphan';
        else {
          outcome = 'request';
          const changes =
            type === 2
              ? {
                  subject: pkg.header.subject,
                  dueDate: pkg.header.dueDate ?? null,
                  urgency: pkg.header.otherInfo?.priority ?? 0,
                  signerName: pkg.header.signerInfo?.fullName ?? null,
                }
              : null;
          stmt(db, 
            'INSERT INTO exchange_requests (delivery_key, document_id, business_type, reason, changes, created_at) VALUES (?, ?, ?, ?, ?, ?)',
          ).run(item.key, documentId, type, business?.reason ?? null, changes ? JSON.stringify(changes) : null, stamp);
          appendAudit(db, {
            actor: pkg.header.from.organName ?? sender,
            action: type === 1 ? 'exchange.recallRequested' : 'exchange.updateRequested',
            entity: 'document',
            entityId: documentId,
            at: stamp,
            payload: { reason: business?.reason ?? null },
          });
        }
      } else if (findLocal(pkg.header.documentId) !== null) {
        outcome = 'duplicate';
        documentId = findLocal(pkg.header.documentId);
      } else {
        outcome = 'document';
        documentId = insertIncomingPending(ctx, pkg, prepared, stamp);
        appendAudit(db, {
          actor: 'exchange',
          action: 'exchange.receive',
          entity: 'document',
          entityId: documentId,
          at: stamp,
          payload: {
            documentId: pkg.header.documentId,
            from: sender,
            files: prepared.stored.map((s) => s.sha256),
          },
        });
        queueStatus(db, documentId, '01', 'Văn thư: Đã đến - Phần mềm QLVB đã nhận nhưng văn thư chưa xử lý', at, `status:${item.key}:01`);
        if (type === 3) {
          for (const r of business?.replacements ?? []) {
            const old = findLocal(r.documentId);
            if (old === null) continue;
            stmt(db, 
              'INSERT INTO exchange_requests (delivery_key, document_id, new_document_id, business_type, reason, created_at) VALUES (?, ?, ?, 3, ?, ?)',
            ).run(`${item.key}:${r.documentId}`, old, documentId, business?.reason ?? null, stamp);
          }
        }
      }
    }
    stmt(db, 
      `INSERT INTO exchange_inbox (delivery_key, kind, business_type, edxml_document_id, sender_code, document_id, outcome, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(item.key, item.kind, item.businessType, item.documentId, item.from, documentId, outcome, stamp);
    enqueue(db, { key: `ack:${item.key}`, kind: 'ack', payload: { item, ...ack } }, at);
    if (cursor !== null) setState(db, 'inbox_cursor', cursor);
    return { outcome, documentId };
  })();
}

// ---------------------------------------------------------------------------
// The clerk's answers

function pendingIncoming(db: Db, id: number): { status: string } {
  const row = db.prepare("SELECT status FROM documents WHERE id = ? AND direction = 'incoming'").get(id) as { status: string } | undefined;
  if (!row) throw new AppError('NOT_FOUND', 'Document not found');
  if (row.status !== 'pending') throw new AppError('CONFLICT', `Only documents waiting for acceptance (chờ tiếp nhận) can be accepted or returned; this one is ${row.status}`);
  return row;
}

/**
 * Tiếp nhận: the document enters the register (số đến from the series' owner: this PC
 * under its lease, otherwise the server), its PDF text is indexed, status 03 is queued.
 */
export async function acceptIncoming(ctx: ExchangeContext, id: number, options: { arrivalDate?: string } = {}) {
  const { db } = ctx;
  pendingIncoming(db, id);
  const at = nowOf(ctx);
  const arrivalDate = options.arrivalDate ?? agencyDate(at);
  const year = Number(arrivalDate.slice(0, 4));
  const confidentiality = db.prepare('SELECT confidentiality FROM documents WHERE id = ?').pluck().get(id) as number;
  const series = incomingSeries(confidentiality);
  const ref = documentRef(ctx.pcId, id);
  const main = db
    .prepare("SELECT df.sha256 FROM document_files df JOIN files f ON f.sha256 = df.sha256 WHERE df.document_id = ? AND f.mime = 'application/pdf' ORDER BY df.role DESC LIMIT 1")
    .pluck()
    .get(id) as string | undefined;
  let bodyText = '';
  if (main) {
    try {
      bodyText = await extractPdfText(ctx.files.read(main));
    } catch {
      bodyText = '';
    }
  }
  const plan = await allocateNumber(ctx, year, series, ref);
  db.transaction(() => {
    pendingIncoming(db, id);
    const arrivalNumber = commitNumber(ctx, plan, year, series, id, at);
    const stamp = at.toISOString();
    db.prepare(
      `UPDATE documents SET status = 'registered', register_year = ?, series = ?, arrival_number = ?, arrival_date = ?, updated_at = ? WHERE id = ?`,
    ).run(year, series, arrivalNumber, arrivalDate, stamp, id);
    setBodyText(db, id, bodyText);
    indexDocument(db, id);
    appendAudit(db, { actor: actorName(db), action: 'exchange.accept', entity: 'document', entityId: id, at: stamp, payload: { arrivalNumber, year, series } });
    queueStatus(db, id, '03', `${actorName(db)}: Đã tiếp nhận, vào sổ số đến ${arrivalNumber}`, at, `status:${ctx.pcId}:${id}:03`);
  }).immediate();
  const record = loadDocument(db, id);
  if (!record) throw new AppError('NOT_FOUND', 'Document vanished');
  return record;
}

/** Trả lại: the document is not registered; status 02 with the reason is queued. */
export function returnIncoming(ctx: ExchangeContext, id: number, reason: string) {
  const { db } = ctx;
  const text = reason.trim();
  if (!text) throw new AppError('INVALID_INPUT', 'A reason is required to return a document', [{ path: 'reason', message: 'required' }]);
  const at = nowOf(ctx);
  db.transaction(() => {
    pendingIncoming(db, id);
    const stamp = at.toISOString();
    db.prepare("UPDATE documents SET status = 'returned', note = ?, updated_at = ? WHERE id = ?").run(`Trả lại: ${text}`.slice(0, 1000), stamp, id);
    indexDocument(db, id);
    appendAudit(db, { actor: actorName(db), action: 'exchange.return', entity: 'document', entityId: id, at: stamp, payload: { reason: text } });
    queueStatus(db, id, '02', text.slice(0, 2000), at, `status:${ctx.pcId}:${id}:02`);
  }).immediate();
  return loadDocument(db, id);
}

/** A recall/update/replacement request as stored; the API's ExchangeRequest adds the document's subject and code. */
export type ExchangeRequestView = Omit<ExchangeRequest, 'documentSubject' | 'documentCode'>;

export function listRequests(db: Db, state: 'pending' | 'all' = 'pending'): ExchangeRequestView[] {
  const rows = db
    .prepare(
      `SELECT id, document_id, new_document_id, business_type, reason, changes, state, created_at FROM exchange_requests
       ${state === 'pending' ? "WHERE state = 'pending'" : ''} ORDER BY id`,
    )
    .all() as Array<{ id: number; document_id: number; new_document_id: number | null; business_type: 1 | 2 | 3; reason: string | null; changes: string | null; state: ExchangeRequestView['state']; created_at: string }>;
  return rows.map((r) => ({
    id: r.id,
    documentId: r.document_id,
    newDocumentId: r.new_document_id,
    businessType: r.business_type,
    reason: r.reason,
    changes: r.changes ? (JSON.parse(r.changes) as Record<string, unknown>) : null,
    state: r.state,
    createdAt: r.created_at,
  }));
}

/**
 * Answers a recall (1), update (2) or replacement (3) request: 15 agrees, 16 refuses.
 * An agreed recall or replacement cancels the local document but keeps it, marked, in
 * the register (its number is never reused); an agreed update applies the new metadata.
 */
export function answerRequest(ctx: ExchangeContext, requestId: number, agree: boolean, reason = '') {
  const { db } = ctx;
  const at = nowOf(ctx);
  const stamp = at.toISOString();
  db.transaction(() => {
    const r = db.prepare('SELECT * FROM exchange_requests WHERE id = ?').get(requestId) as
      | { id: number; document_id: number; new_document_id: number | null; business_type: number; reason: string | null; changes: string | null; state: string }
      | undefined;
    if (!r) throw new AppError('NOT_FOUND', 'Request not found');
    if (r.state !== 'pending') throw new AppError('CONFLICT', 'This request was already answered');
    db.prepare('UPDATE exchange_requests SET state = ?, answered_at = ? WHERE id = ?').run(agree ? 'agreed' : 'refused', stamp, r.id);
    if (agree) {
      if (r.business_type === 1 || r.business_type === 3) {
        const mark = r.business_type === 1 ? `Đã thu hồi theo yêu cầu của nơi gửi${r.reason ? `: ${r.reason}` : ''}` : `Đã được thay thế bởi văn bản #${r.new_document_id ?? '?'}`;
        db.prepare("UPDATE documents SET status = 'cancelled', note = trim(coalesce(note, '') || ' ' || ?), updated_at = ? WHERE id = ?").run(mark.slice(0, 900), stamp, r.document_id);
      } else if (r.changes) {
        const c = JSON.parse(r.changes) as { subject?: string; dueDate?: string | null; urgency?: number; signerName?: string | null };
        db.prepare(
          'UPDATE documents SET subject = coalesce(?, subject), due_date = ?, urgency = coalesce(?, urgency), signer_name = coalesce(?, signer_name), updated_at = ? WHERE id = ?',
        ).run(c.subject ?? null, c.dueDate ?? null, c.urgency ?? null, c.signerName ?? null, stamp, r.document_id);
      }
      indexDocument(db, r.document_id);
    }
    appendAudit(db, {
      actor: actorName(db),
      action: agree ? 'exchange.requestAgreed' : 'exchange.requestRefused',
      entity: 'document',
      entityId: r.document_id,
      at: stamp,
      payload: { request: r.id, businessType: r.business_type, reason: reason || null },
    });
    const description = agree ? 'Văn thư đồng ý yêu cầu cập nhật, lấy lại' : `Văn thư từ chối yêu cầu cập nhật, lấy lại${reason ? `: ${reason}` : ''}`;
    queueStatus(db, r.document_id, agree ? '15' : '16', description, at, `status:${ctx.pcId}:request:${r.id}`);
  }).immediate();
}

// ---------------------------------------------------------------------------
// Sending

/** A PAdES signature leaves a signature dictionary with /ByteRange and /Contents in the PDF. */
export function hasPdfSignature(pdf: Buffer): boolean {
  return pdf.includes('/ByteRange') && pdf.includes('/Contents');
}

interface OutgoingRow {
  id: number;
  status: string;
  confidentiality: number;
  urgency: number;
  code_number: string | null;
  code_notation: string | null;
  document_date: string | null;
  subject: string;
  signer_name: string | null;
  signer_position: string | null;
  type_name: string;
  due_date: string | null;
}

function loadOutgoing(db: Db, id: number): OutgoingRow {
  const doc = db
    .prepare(
      `SELECT d.id, d.status, d.confidentiality, d.urgency, d.code_number, d.code_notation, d.document_date, d.subject, d.signer_name,
              d.signer_position, t.name AS type_name, d.due_date
       FROM documents d JOIN document_types t ON t.id = d.type_id WHERE d.id = ? AND d.direction = 'outgoing'`,
    )
    .get(id) as OutgoingRow | undefined;
  if (!doc) throw new AppError('NOT_FOUND', 'Outgoing document not found');
  return doc;
}

/** Refuses classified documents for network sending (QĐ 28/2018 excludes state secrets). */
export function assertSendable(doc: { confidentiality: number }): void {
  if (doc.confidentiality > 0) {
    throw new AppError(
      'FORBIDDEN',
      `Documents marked ${secrecyNames[doc.confidentiality] ?? 'Mật'} cannot be sent over the network; send them on paper through the confidential channel`,
      { reason: 'CLASSIFIED', confidentiality: doc.confidentiality },
    );
  }
}

function recipientsOrgs(db: Db, codes: string[]): Organization[] {
  const directory = JSON.parse(getState(db, 'directory') ?? '[]') as Array<{ code: string; name: string }>;
  return codes.map((code) => {
    const name =
      directory.find((d) => d.code === code)?.name ??
      (db.prepare('SELECT name FROM external_agencies WHERE code = ?').pluck().get(code) as string | undefined);
    return name ? { organId: code, organName: name } : { organId: code };
  });
}

function buildOutgoingPackage(
  ctx: ExchangeContext,
  doc: OutgoingRow,
  recipients: string[],
  business: { docType: BusinessDocType; documentId?: string; reason?: string; replaces?: string[] },
  edxmlId: string,
): { bytes: Uint8Array; attachments: number } {
  const { db } = ctx;
  const agency = requireAgency(db);
  const files = db
    .prepare('SELECT df.sha256, df.name, f.mime FROM document_files df JOIN files f ON f.sha256 = df.sha256 WHERE df.document_id = ? ORDER BY df.role DESC, df.name')
    .all(doc.id) as Array<{ sha256: string; name: string; mime: string }>;
  const attachments: Attachment[] = files.map((f, i) => ({
    contentId: `file-${i + 1}`,
    name: f.name,
    contentType: f.mime,
    bytes: ctx.files.read(f.sha256),
  }));
  const at = nowOf(ctx);
  const pkg: EdxmlPackage = {
    header: {
      from: ownOrganization(agency),
      to: recipientsOrgs(db, recipients),
      documentId: edxmlId,
      code: { codeNumber: doc.code_number ?? '', codeNotation: doc.code_notation ?? '' },
      promulgationInfo: { place: agency.place, promulgationDate: doc.document_date ?? agencyDate(at) },
      documentType: { type: 2, typeName: doc.type_name },
      subject: doc.subject,
      signerInfo: { fullName: doc.signer_name ?? undefined, position: doc.signer_position ?? undefined },
      dueDate: doc.due_date ?? undefined,
      toPlaces: [],
      otherInfo: { priority: doc.urgency as 0 | 1 | 2 | 3 | 4, appendixes: [] },
      responseFor: [],
    },
    traceHeaderList: {
      traceHeaders: [{ organId: agency.code, timestamp: at }],
      business: {
        docType: business.docType,
        documentId: business.documentId,
        reason: business.reason,
        paper: 0,
        staffInfo: { staff: actorName(db) },
        replacements: (business.replaces ?? []).map((d) => ({ documentId: d, organIds: recipients })),
        ...(business.docType === 2 ? { documentInfo: { documentInfoChanged: true, receiversChanged: false, receivers: [] } } : {}),
      },
    },
    attachments,
  };
  return { bytes: buildEdxml(pkg, { now: new Date(at.getTime() + 48 * 3600 * 1000) }), attachments: attachments.length };
}

/**
 * Queues an issued (numbered), signed outgoing document for sending to agencies of the
 * directory. Classified documents are refused. `replaces` names earlier outgoing
 * documents this one replaces (BussinessDocType 3).
 */
export function queueSendOutgoing(ctx: ExchangeContext, id: number, recipients: string[], options: { replaces?: number[] } = {}): void {
  const { db } = ctx;
  const doc = loadOutgoing(db, id);
  assertSendable(doc);
  if (doc.status !== 'issued') throw new AppError('CONFLICT', 'Only issued documents (numbered, dated) can be sent; issue it first');
  if (recipients.length === 0) throw new AppError('INVALID_INPUT', 'At least one recipient is required', [{ path: 'recipients', message: 'required' }]);
  const main = db
    .prepare("SELECT df.sha256 FROM document_files df JOIN files f ON f.sha256 = df.sha256 WHERE df.document_id = ? AND f.mime = 'application/pdf' ORDER BY df.role DESC LIMIT 1")
    .pluck()
    .get(id) as string | undefined;
  if (!main) throw new AppError('INVALID_INPUT', 'The document has no PDF to send');
  const signed = (ctx.isSigned ?? hasPdfSignature)(ctx.files.read(main));
  if (!signed) throw new AppError('CONFLICT', 'The document is not signed yet: sign its PDF before sending', { reason: 'UNSIGNED' });
  if (db.prepare('SELECT 1 FROM exchange_documents WHERE document_id = ?').get(id)) throw new AppError('CONFLICT', 'This document was already sent');
  const agency = requireAgency(db);
  const edxmlId =
    formatDocumentId({ organId: agency.code, promulgationDate: doc.document_date ?? '', codeNumber: doc.code_number ?? '', codeNotation: doc.code_notation ?? '' }) ??
    crypto.randomUUID();
  const replaced = (options.replaces ?? []).map((r) => {
    const link = db.prepare("SELECT edxml_document_id FROM exchange_documents WHERE document_id = ? AND direction = 'outgoing'").pluck().get(r) as string | undefined;
    if (!link) throw new AppError('NOT_FOUND', `Document #${r} to replace was not sent over the exchange`);
    return link;
  });
  const { bytes } = buildOutgoingPackage(ctx, doc, recipients, { docType: replaced.length ? 3 : 0, replaces: replaced }, edxmlId);
  const sha256 = ctx.files.put(bytes);
  const at = nowOf(ctx);
  db.transaction(() => {
    if (db.prepare('SELECT 1 FROM exchange_documents WHERE document_id = ?').get(id)) throw new AppError('CONFLICT', 'This document was already sent');
    db.prepare(
      `INSERT INTO exchange_documents (document_id, edxml_document_id, sender_code, sender_name, direction, promulgation_date, code, recipients)
       VALUES (?, ?, ?, ?, 'outgoing', ?, ?, ?)`,
    ).run(id, edxmlId, agency.code, agency.name, doc.document_date ?? agencyDate(at), `${doc.code_number}/${doc.code_notation}`, JSON.stringify(recipients));
    db.prepare('INSERT OR IGNORE INTO files (sha256, size, mime) VALUES (?, ?, ?)').run(sha256, bytes.length, 'application/xml');
    enqueue(db, { key: `edoc:${agency.code}:${edxmlId}:0`, kind: 'package', payload: { kind: 'edoc' }, blobSha256: sha256, documentId: id }, at);
    appendAudit(db, { actor: actorName(db), action: 'exchange.send', entity: 'document', entityId: id, at: at.toISOString(), payload: { documentId: edxmlId, recipients, replaces: replaced } });
  }).immediate();
}

/** Queues a recall (1) or an update (2) of a document sent earlier. */
export function queueRecallOrUpdate(ctx: ExchangeContext, id: number, type: 1 | 2, reason: string): void {
  const { db } = ctx;
  const doc = loadOutgoing(db, id);
  const link = db
    .prepare("SELECT edxml_document_id, recipients FROM exchange_documents WHERE document_id = ? AND direction = 'outgoing'")
    .get(id) as { edxml_document_id: string; recipients: string } | undefined;
  if (!link) throw new AppError('CONFLICT', 'This document was not sent over the exchange');
  if (!reason.trim()) throw new AppError('INVALID_INPUT', 'A reason is required', [{ path: 'reason', message: 'required' }]);
  const recipients = JSON.parse(link.recipients) as string[];
  const { bytes } = buildOutgoingPackage(ctx, doc, recipients, { docType: type, documentId: link.edxml_document_id, reason: reason.trim() }, link.edxml_document_id);
  const sha256 = ctx.files.put(bytes);
  const at = nowOf(ctx);
  const agency = requireAgency(db);
  db.transaction(() => {
    db.prepare('INSERT OR IGNORE INTO files (sha256, size, mime) VALUES (?, ?, ?)').run(sha256, bytes.length, 'application/xml');
    enqueue(db, { key: `edoc:${agency.code}:${link.edxml_document_id}:${type}:${crypto.randomUUID()}`, kind: 'package', payload: { kind: 'edoc' }, blobSha256: sha256, documentId: id }, at);
    appendAudit(db, { actor: actorName(db), action: type === 1 ? 'exchange.recall' : 'exchange.update', entity: 'document', entityId: id, at: at.toISOString(), payload: { reason } });
  }).immediate();
}

/** Statuses received for an outgoing document, per recipient, oldest first. */
export function statusesOf(db: Db, documentId: number): Array<{ organId: string; statusCode: string; description: string | null; at: string }> {
  return db
    .prepare('SELECT organ_id AS organId, status_code AS statusCode, description, at FROM exchange_statuses WHERE document_id = ? ORDER BY id')
    .all(documentId) as Array<{ organId: string; statusCode: string; description: string | null; at: string }>;
}
