/**
 * Numbering across several PCs (README, "Numbering across several PCs").
 *
 * The rule, as implemented:
 * - Each register series of a year (`in` 2026, `out` 2026…) has exactly one owner: the
 *   provincial server, or the one PC holding the server's lease on it.
 * - The lease holder numbers locally, offline too; every number it takes is queued in the
 *   outbox (same transaction as the document) and reported to the server at the next sync.
 * - Any other PC asks the server for the number when online (idempotent per document, so a
 *   retry after a lost answer gets the same number); it cannot number that series offline.
 * - A lease moves only by an explicit transfer: the holder reports its numbers and releases
 *   with its last number (the server refuses a release while numbers are missing), then the
 *   new PC acquires it and starts after that number. A lease the server no longer lists for
 *   this PC is dropped locally at the next sync.
 * - A PC without a server configured is the owner of every series (single-PC mode).
 */
import { AppError } from '../api/errors.js';
import { documentRef, numberingAuthority, queueNumberReport, takeNumber } from '../documents/numbering.js';
import type { Db } from '../store/database.js';
import type { ExchangeContext } from './exchange.js';
import { setState } from './state.js';
import { TransportError, withLogin } from './transport.js';

export type NumberPlan = { mode: 'local' } | { mode: 'server'; number: number };

export function enableSharedRegisters(db: Db): void {
  setState(db, 'shared_registers', '1');
}

export function holdsLease(db: Db, year: number, series: string): boolean {
  return db.prepare('SELECT 1 FROM register_leases WHERE year = ? AND series = ?').get(year, series) !== undefined;
}

/** Before the transaction: decides where the number comes from (asks the server when it owns the series). */
export async function allocateNumber(ctx: ExchangeContext, year: number, series: string, ref: string): Promise<NumberPlan> {
  if (numberingAuthority(ctx.db, year, series) === 'local') return { mode: 'local' };
  const transport = ctx.transport;
  const records = transport?.records;
  if (!transport || !records) {
    throw new AppError('CONFLICT', `This PC does not hold the lease on register ${series}/${year} and has no server to ask for a number`, {
      reason: 'NO_LEASE',
    });
  }
  try {
    const number = await withLogin(transport, () => records.serverNumber(year, series, ref));
    return { mode: 'server', number };
  } catch (error) {
    if (error instanceof TransportError && error.kind === 'rejected') {
      throw new AppError('CONFLICT', `The server refused a number for ${series}/${year}: ${error.message}`, { reason: error.code ?? 'REFUSED' });
    }
    throw new AppError(
      'CONFLICT',
      `Cannot number register ${series}/${year} offline: this PC does not hold its lease. Keep the document waiting and accept it when online`,
      { reason: 'OFFLINE_NO_LEASE' },
    );
  }
}

/** Inside the document's transaction: takes the number; a lease holder queues its report. */
export function commitNumber(ctx: ExchangeContext, plan: NumberPlan, year: number, series: string, documentId: number, at: Date): number {
  const { db } = ctx;
  if (plan.mode === 'server') return plan.number;
  const n = takeNumber(db, year, series);
  queueNumberReport(db, year, series, n, documentId, at);
  return n;
}

function localLast(db: Db, year: number, series: string): number {
  return (db.prepare('SELECT last_number FROM number_series WHERE year = ? AND series = ?').pluck().get(year, series) as number | undefined) ?? 0;
}

/** Numbers this PC used in a series (documents of the register), with a reference each. */
function localNumbers(db: Db, pcId: string, year: number, series: string, after: number): Array<{ number: number; ref: string }> {
  const rows = db
    .prepare(
      `SELECT id, CASE WHEN direction = 'incoming' THEN arrival_number ELSE CAST(code_number AS INTEGER) END AS n
       FROM documents WHERE register_year = ? AND series = ? AND status NOT IN ('draft', 'pending') ORDER BY n`,
    )
    .all(year, series) as Array<{ id: number; n: number }>;
  return rows.filter((r) => r.n > after).map((r) => ({ number: r.n, ref: documentRef(pcId, r.id) }));
}

/** Takes the lease of a series for this PC (online). Numbers used here before are reported first. */
export async function acquireLease(ctx: ExchangeContext, year: number, series: string): Promise<{ startNumber: number }> {
  const { db, transport } = ctx;
  const records = transport?.records;
  if (!transport || !records) throw new AppError('CONFLICT', 'No server with register leases is configured');
  enableSharedRegisters(db);
  let info;
  try {
    info = await withLogin(transport, () => records.acquireLease(year, series));
  } catch (error) {
    if (error instanceof TransportError && error.kind === 'rejected') {
      throw new AppError('CONFLICT', `Lease of ${series}/${year} refused: ${error.message}`, { reason: error.code ?? 'LEASE_HELD' });
    }
    throw new AppError('CONFLICT', `Cannot reach the server to take the lease of ${series}/${year}: ${error instanceof Error ? error.message : String(error)}`, {
      reason: 'OFFLINE',
    });
  }
  const local = localLast(db, year, series);
  if (local > info.lastNumber) {
    const numbers = localNumbers(db, ctx.pcId, year, series, info.lastNumber);
    if (numbers.length > 0) info = await withLogin(transport, () => records.reportNumbers(year, series, numbers));
  }
  const start = Math.max(local, info.lastNumber);
  db.transaction(() => {
    db.prepare('INSERT INTO register_leases (year, series, start_number, acquired_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
      year,
      series,
      start,
      new Date().toISOString(),
    );
    db.prepare(
      `INSERT INTO number_series (year, series, last_number) VALUES (?, ?, ?)
       ON CONFLICT(year, series) DO UPDATE SET last_number = max(last_number, excluded.last_number)`,
    ).run(year, series, start);
  }).immediate();
  return { startNumber: start };
}

/**
 * Releases the lease (first step of a transfer): every number taken under it must have
 * reached the server; the server checks that none is missing.
 */
export async function releaseLease(ctx: ExchangeContext, year: number, series: string, flush: () => Promise<void>): Promise<{ lastNumber: number }> {
  const { db, transport } = ctx;
  const records = transport?.records;
  if (!transport || !records) throw new AppError('CONFLICT', 'No server with register leases is configured');
  if (!holdsLease(db, year, series)) throw new AppError('CONFLICT', `This PC does not hold the lease of ${series}/${year}`);
  await flush();
  const unsent = db
    .prepare("SELECT count(*) FROM outbox WHERE kind = 'numbers' AND state <> 'done' AND json_extract(payload, '$.series') = ? AND json_extract(payload, '$.year') = ?")
    .pluck()
    .get(series, year) as number;
  if (unsent > 0) throw new AppError('CONFLICT', `${unsent} numbers of ${series}/${year} have not reached the server yet; sync first`);
  const last = localLast(db, year, series);
  try {
    await withLogin(transport, () => records.releaseLease(year, series, last));
  } catch (error) {
    throw new AppError('CONFLICT', `Release of ${series}/${year} refused: ${error instanceof Error ? error.message : String(error)}`);
  }
  db.prepare('DELETE FROM register_leases WHERE year = ? AND series = ?').run(year, series);
  return { lastNumber: last };
}

/** Drops local leases the server no longer lists for this PC (e.g. a crash after a release). */
export async function reconcileLeases(ctx: ExchangeContext): Promise<void> {
  const { db, transport } = ctx;
  const records = transport?.records;
  if (!transport || !records) return;
  const local = db.prepare('SELECT year, series FROM register_leases').all() as Array<{ year: number; series: string }>;
  const server = await withLogin(transport, () => records.leases());
  for (const s of server) {
    // Granted by the server but not recorded here (crash between the two): record it now.
    if (s.holder === ctx.pcId && !local.some((l) => l.year === s.year && l.series === s.series)) {
      await acquireLease(ctx, s.year, s.series);
    }
  }
  for (const l of local) {
    const s = server.find((x) => x.year === l.year && x.series === l.series);
    if (s && s.holder !== null && s.holder !== ctx.pcId) {
      db.prepare('DELETE FROM register_leases WHERE year = ? AND series = ?').run(l.year, l.series);
    }
    if (s && s.holder === null) {
      const pending = db
        .prepare("SELECT count(*) FROM outbox WHERE kind = 'numbers' AND state = 'pending' AND json_extract(payload, '$.series') = ? AND json_extract(payload, '$.year') = ?")
        .pluck()
        .get(l.series, l.year) as number;
      if (pending === 0) db.prepare('DELETE FROM register_leases WHERE year = ? AND series = ?').run(l.year, l.series);
    }
  }
}

/**
 * Until a PC first reaches a server that keeps registers, it owns every series
 * (single-PC mode). At that contact, registers that nobody holds are taken by it: the series it has
 * numbered, and the ordinary and classified registers of the current year. A
 * single-clerk agency so keeps numbering offline; in an agency with several PCs the
 * first clerk PC to sync holds them, and the others ask the server (or get the lease
 * by an explicit transfer).
 */
export async function claimFreeLeases(ctx: ExchangeContext, year: number): Promise<void> {
  const { db, transport } = ctx;
  const records = transport?.records;
  if (!transport || !records) return;
  const used = db.prepare('SELECT year, series FROM number_series WHERE year >= ?').all(year) as Array<{ year: number; series: string }>;
  const wanted = new Map<string, { year: number; series: string }>();
  for (const w of [...used, ...['in', 'in-secret', 'out', 'out-secret'].map((series) => ({ year, series }))]) {
    wanted.set(`${w.year}:${w.series}`, w);
  }
  const server = await withLogin(transport, () => records.leases());
  // From the first contact with a server that keeps registers, they are shared.
  enableSharedRegisters(db);
  for (const { year: y, series } of wanted.values()) {
    if (holdsLease(db, y, series)) continue;
    const held = server.find((s) => s.year === y && s.series === series && s.holder !== null);
    if (held) continue;
    try {
      await acquireLease(ctx, y, series);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
    }
  }
}
