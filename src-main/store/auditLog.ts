/**
 * Append-only audit log, hash-chained: each row's hash covers its own fields and
 * the previous row's hash, and the chain head is kept in settings, so an edited,
 * deleted or inserted row (also the last one) is detectable by verifyAuditChain.
 * Callers write the entry inside the same transaction as the change it records.
 */
import crypto from 'node:crypto';
import type { Db } from './database.js';
import { cachedStatement } from './statements.js';

export interface AuditInput {
  actor: string;
  action: string;
  entity: string;
  entityId: number | null;
  payload: unknown;
  at?: string;
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: number | null;
  payload: string;
  prev_hash: string;
  hash: string;
}

const genesis = '0'.repeat(64);

function rowHash(r: Omit<AuditRow, 'hash'>): string {
  const fields = [r.id, r.prev_hash, r.at, r.actor, r.action, r.entity, r.entity_id ?? '', r.payload];
  return crypto.createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

export function appendAudit(db: Db, entry: AuditInput): void {
  const head = cachedStatement(db, "SELECT value FROM settings WHERE key = 'audit_head'").pluck().get() as string | undefined;
  const last = cachedStatement(db, 'SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as
    | { id: number; hash: string }
    | undefined;
  const row = {
    id: (last?.id ?? 0) + 1,
    at: entry.at ?? new Date().toISOString(),
    actor: entry.actor,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId,
    payload: JSON.stringify(entry.payload ?? null),
    prev_hash: head ?? genesis,
  };
  const hash = rowHash(row);
  cachedStatement(
    db,
    'INSERT INTO audit_log (id, at, actor, action, entity, entity_id, payload, prev_hash, hash) VALUES (@id, @at, @actor, @action, @entity, @entity_id, @payload, @prev_hash, @hash)',
  ).run({ ...row, hash });
  cachedStatement(db, "INSERT INTO settings (key, value) VALUES ('audit_head', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(
    hash,
  );
}

export type AuditVerdict = { ok: true; rows: number } | { ok: false; brokenAtId: number | null; reason: string };

export function verifyAuditChain(db: Db): AuditVerdict {
  let prev = genesis;
  let expectedId = 1;
  let rows = 0;
  for (const r of db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<AuditRow>) {
    if (r.id !== expectedId) return { ok: false, brokenAtId: r.id, reason: 'row missing before this one' };
    if (r.prev_hash !== prev) return { ok: false, brokenAtId: r.id, reason: 'chain link broken' };
    if (rowHash(r) !== r.hash) return { ok: false, brokenAtId: r.id, reason: 'row content changed' };
    prev = r.hash;
    expectedId += 1;
    rows += 1;
  }
  const head = cachedStatement(db, "SELECT value FROM settings WHERE key = 'audit_head'").pluck().get() as string | undefined;
  if ((head ?? genesis) !== prev) return { ok: false, brokenAtId: null, reason: 'latest rows missing' };
  return { ok: true, rows };
}

export function auditFor(db: Db, entity: string, entityId: number): Array<Pick<AuditRow, 'id' | 'at' | 'actor' | 'action' | 'payload'>> {
  return db
    .prepare('SELECT id, at, actor, action, payload FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id')
    .all(entity, entityId) as Array<Pick<AuditRow, 'id' | 'at' | 'actor' | 'action' | 'payload'>>;
}
