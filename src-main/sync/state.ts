/** Small persisted facts of the sync engine (sync_state) and the outbox writer. */
import crypto from 'node:crypto';
import type { Db } from '../store/database.js';
import { cachedStatement } from '../store/statements.js';

export function getState(db: Db, key: string): string | null {
  return (cachedStatement(db, 'SELECT value FROM sync_state WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
}

export function setState(db: Db, key: string, value: string): void {
  cachedStatement(db, 'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

/** This PC's id for the server (leases, feed origin), created once. */
export function pcIdOf(db: Db): string {
  const known = getState(db, 'pc_id');
  if (known) return known;
  const id = `pc-${crypto.randomUUID()}`;
  db.prepare("INSERT INTO sync_state (key, value) VALUES ('pc_id', ?) ON CONFLICT(key) DO NOTHING").run(id);
  return getState(db, 'pc_id') ?? id;
}

export type OutboxKind = 'package' | 'ack' | 'feed' | 'numbers';

export interface OutboxInput {
  key: string;
  kind: OutboxKind;
  payload: unknown;
  blobSha256?: string | null;
  documentId?: number | null;
}

/**
 * Queues an item for the server. Call inside the transaction of the change it
 * carries; the key is the idempotency key (a second enqueue of the same key is ignored).
 */
export function enqueue(db: Db, item: OutboxInput, now: Date = new Date()): void {
  if (!db.inTransaction) throw new Error('enqueue must run inside the transaction of the change');
  cachedStatement(
    db,
    `INSERT INTO outbox (key, kind, payload, blob_sha256, document_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(key) DO NOTHING`,
  ).run(item.key, item.kind, JSON.stringify(item.payload ?? null), item.blobSha256 ?? null, item.documentId ?? null, now.toISOString());
}

export interface OutboxRow {
  id: number;
  key: string;
  kind: OutboxKind;
  payload: string;
  blob_sha256: string | null;
  document_id: number | null;
  state: 'pending' | 'done' | 'rejected';
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: string;
}
