/**
 * Register numbering (NĐ 30 Điều 15, 22). A number is taken from its series inside
 * the same write transaction that stores the numbered document, so a rolled-back
 * registration gives its number back: numbers are never reused and never skipped.
 * Callers run inside `db.transaction(...).immediate()`; SQLite's write lock then
 * serialises processes sharing the file (busy_timeout waits for it).
 *
 * Series keys: incoming `in` / `in-secret`; outgoing `out` (one series for all
 * types) or `out:<type abbreviation or id>` (per type), and `out-secret…` for
 * classified documents, which always have a series of their own.
 */
import { AppError } from '../api/errors.js';
import type { Db } from '../store/database.js';
import { enqueue, getState, pcIdOf } from '../sync/state.js';

export function incomingSeries(confidentiality: number): string {
  return confidentiality > 0 ? 'in-secret' : 'in';
}

export function outgoingSeries(scheme: 'single' | 'per-type', typeId: number, confidentiality: number): string {
  const base = confidentiality > 0 ? 'out-secret' : 'out';
  return scheme === 'per-type' ? `${base}:${typeId}` : base;
}

/** Whether this PC's registers are shared with a server (set at its first contact with one that keeps registers). */
function registersShared(db: Db): boolean {
  return getState(db, 'shared_registers') === '1';
}

/**
 * Who numbers a series on this PC (README, "Numbering across several PCs"): itself
 * when its registers are not shared with a server, or when it holds the server's
 * lease on the series; otherwise the server.
 */
export function numberingAuthority(db: Db, year: number, series: string): 'local' | 'server' {
  if (!registersShared(db)) return 'local';
  return db.prepare('SELECT 1 FROM register_leases WHERE year = ? AND series = ?').get(year, series) ? 'local' : 'server';
}

/** Takes the next number of a series this PC owns; refuses one the server owns. */
export function takeLocalNumber(db: Db, year: number, series: string): number {
  if (numberingAuthority(db, year, series) === 'server') {
    throw new AppError('CONFLICT', `Register ${series}/${year} is numbered by the server: this PC does not hold its lease`, {
      reason: 'NO_LEASE',
    });
  }
  return takeNumber(db, year, series);
}

/**
 * Inside the numbered document's transaction: with registers shared with a server, the
 * number this PC took under its lease is queued for the server, which must know every
 * number before the register moves to another PC (transfer or revoke). The reference
 * names the document, as the catch-up report of a lease taken over does.
 */
export function queueNumberReport(db: Db, year: number, series: string, number: number, documentId: number, at: Date): void {
  if (!registersShared(db)) return;
  const pcId = pcIdOf(db);
  enqueue(
    db,
    { key: `numbers:${pcId}:${year}:${series}:${number}`, kind: 'numbers', payload: { year, series, number, ref: documentRef(pcId, documentId) }, documentId },
    at,
  );
}

/** The server's reference of a document's number (idempotency key when the server numbers it). */
export function documentRef(pcId: string, documentId: number): string {
  return `doc:${pcId}:${documentId}`;
}

/** Takes the next number of (year, series). Must run inside a write transaction. */
export function takeNumber(db: Db, year: number, series: string): number {
  if (!db.inTransaction) throw new Error('takeNumber must run inside a transaction');
  const row = db
    .prepare(
      `INSERT INTO number_series (year, series, last_number) VALUES (?, ?, 1)
       ON CONFLICT(year, series) DO UPDATE SET last_number = last_number + 1
       RETURNING last_number`,
    )
    .get(year, series) as { last_number: number };
  return row.last_number;
}

/** "Số" as printed: numbers below 10 get a leading zero (NĐ 30 Phụ lục I). */
export function formatNumber(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
