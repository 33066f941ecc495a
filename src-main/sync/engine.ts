/**
 * The offline-first sync engine. One round (`syncOnce`): log in when needed, reconcile
 * leases, push the outbox, pull received packages (streamed to disk, checksummed,
 * resumable, committed in order, one transaction each), push again (transport acks and
 * status 01 just queued), then the agency's change feed. Rounds also run on a timer and
 * when connectivity returns (`notifyOnline`). Nothing here holds a database transaction
 * across network I/O, so work in the app never waits for a sync.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createLogger } from '../log.js';
import type { Db } from '../store/database.js';
import type { FileStore } from '../store/fileStore.js';
import { commitReceipt, prepareReceipt, statusBytes, type ExchangeContext } from './exchange.js';
import { pullFeed, pushFeed } from './feed.js';
import { claimFreeLeases, reconcileLeases } from './leases.js';
import { agencyYear } from '../documents/time.js';
import { getState, pcIdOf, setState, type OutboxRow } from './state.js';
import { TransportError, withLogin, type InboxItem, type SyncTransport } from './transport.js';

const log = createLogger('sync');

export interface SyncOptions {
  db: Db;
  files: FileStore;
  dataDir: string;
  transport: SyncTransport;
  /** Parallel downloads and parallel outbox sends. */
  concurrency?: number;
  /** Retry delays: attempt n waits a random time in [0, min(cap, base·2^n)] (full jitter). */
  backoff?: { baseMs: number; capMs: number };
  /** Attempts of one download within a round before the round gives up on it. */
  downloadAttempts?: number;
  pageSize?: number;
  now?: () => Date;
  verifyReceived?: ExchangeContext['verifyReceived'];
  isSigned?: ExchangeContext['isSigned'];
  /** Called whenever the state shown to the user changes. */
  onState?: (state: SyncState) => void;
  /** Test hook: called at named points of a round (kill tests). */
  onPoint?: (point: string) => void;
}

export interface SyncState {
  online: boolean | null;
  running: boolean;
  lastSyncAt: string | null;
  lastError: string | null;
  pendingOutbox: number;
  rejectedOutbox: Array<{ id: number; key: string; kind: string; documentId: number | null; reason: string | null }>;
  pendingIncoming: number;
  pendingRequests: number;
  downloads: { active: number; itemsDone: number; itemsTotal: number; bytesDone: number; bytesTotal: number };
}

export interface SyncReport {
  ok: boolean;
  received: number;
  sent: number;
  rejected: number;
  feedPushed: number;
  feedApplied: number;
  error: string | null;
  /** Items still waiting (backoff, or the round ran out of time). */
  pending: number;
}

export class SyncEngine {
  readonly ctx: ExchangeContext;
  private readonly opts: Required<Pick<SyncOptions, 'concurrency' | 'backoff' | 'downloadAttempts' | 'pageSize'>> & SyncOptions;
  private running: Promise<SyncReport> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private online: boolean | null = null;
  private lastError: string | null = null;
  private downloads = { active: 0, itemsDone: 0, itemsTotal: 0, bytesDone: 0, bytesTotal: 0 };
  private readonly partDir: string;

  constructor(options: SyncOptions) {
    this.opts = { concurrency: 4, backoff: { baseMs: 1000, capMs: 5 * 60_000 }, downloadAttempts: 3, pageSize: 100, ...options };
    const pcId = pcIdOf(options.db);
    this.ctx = {
      db: options.db,
      files: options.files,
      pcId,
      transport: options.transport,
      now: options.now,
      verifyReceived: options.verifyReceived,
      isSigned: options.isSigned,
    };
    this.partDir = path.join(options.dataDir, 'sync', 'downloads');
    fs.mkdirSync(this.partDir, { recursive: true });
  }

  get pcId(): string {
    return this.ctx.pcId;
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }

  state(): SyncState {
    const db = this.opts.db;
    return {
      online: this.online,
      running: this.running !== null,
      lastSyncAt: getState(db, 'last_sync_at'),
      lastError: this.lastError,
      pendingOutbox: db.prepare("SELECT count(*) FROM outbox WHERE state = 'pending'").pluck().get() as number,
      rejectedOutbox: db
        .prepare("SELECT id, key, kind, document_id AS documentId, last_error AS reason FROM outbox WHERE state = 'rejected' ORDER BY id DESC LIMIT 100")
        .all() as SyncState['rejectedOutbox'],
      pendingIncoming: db.prepare("SELECT count(*) FROM documents WHERE direction = 'incoming' AND status = 'pending'").pluck().get() as number,
      pendingRequests: db.prepare("SELECT count(*) FROM exchange_requests WHERE state = 'pending'").pluck().get() as number,
      downloads: { ...this.downloads },
    };
  }

  private emit(): void {
    this.opts.onState?.(this.state());
  }

  /** Runs one round; concurrent callers share the round in progress. */
  syncOnce(options: { deadlineMs?: number } = {}): Promise<SyncReport> {
    if (!this.running) {
      this.running = this.round(options.deadlineMs ?? 10 * 60_000).finally(() => {
        this.running = null;
        this.emit();
      });
      this.emit();
    }
    return this.running;
  }

  /** Periodic rounds; errors are recorded in the state, never thrown. */
  start(intervalMs = 60_000): void {
    this.stop();
    const tick = (): void => {
      void this.syncOnce().catch(() => undefined);
    };
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
    tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Call when the OS reports connectivity (Electron `online` event): a round starts now. */
  notifyOnline(): void {
    void this.syncOnce().catch(() => undefined);
  }

  private async round(deadlineMs: number): Promise<SyncReport> {
    const deadline = Date.now() + deadlineMs;
    const report: SyncReport = { ok: false, received: 0, sent: 0, rejected: 0, feedPushed: 0, feedApplied: 0, error: null, pending: 0 };
    const t = this.opts.transport;
    try {
      this.opts.onPoint?.('round:start');
      try {
        const directory = await withLogin(t, () => t.directory());
        setState(this.opts.db, 'directory', JSON.stringify(directory));
      } catch (error) {
        if (error instanceof TransportError && error.kind === 'rejected') throw error;
        throw error;
      }
      this.online = true;
      this.emit();
      await reconcileLeases(this.ctx);
      await claimFreeLeases(this.ctx, agencyYear(this.now()));
      await this.pushOutbox(report, deadline);
      report.received = await this.pull(deadline);
      await this.pushOutbox(report, deadline);
      report.feedPushed = await pushFeed(this.ctx);
      report.feedApplied = await pullFeed(this.ctx);
      report.ok = true;
      this.lastError = null;
      setState(this.opts.db, 'last_sync_at', this.now().toISOString());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      report.error = message;
      this.lastError = message;
      if (error instanceof TransportError && (error.kind === 'network' || error.kind === 'server')) this.online = error.kind === 'server';
      log.warn('sync round failed', { message });
    }
    report.pending = this.opts.db.prepare("SELECT count(*) FROM outbox WHERE state = 'pending'").pluck().get() as number;
    return report;
  }

  // ---------------------------------------------------------------- push

  private backoffDelay(attempts: number): number {
    const { baseMs, capMs } = this.opts.backoff;
    return Math.random() * Math.min(capMs, baseMs * 2 ** Math.min(attempts, 20));
  }

  /** Sends due outbox items until none is due or the deadline passes. */
  async pushOutbox(report?: SyncReport, deadline = Date.now() + 10 * 60_000): Promise<void> {
    const db = this.opts.db;
    const t = this.opts.transport;
    const pick = db.prepare("SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? AND kind <> 'feed' ORDER BY id LIMIT ?");
    const done = db.prepare("UPDATE outbox SET state = 'done', done_at = ?, last_error = NULL WHERE id = ?");
    const rejected = db.prepare("UPDATE outbox SET state = 'rejected', last_error = ?, attempts = attempts + 1 WHERE id = ?");
    const retry = db.prepare('UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?');
    for (let pass = 0; pass < 10_000 && Date.now() < deadline; pass += 1) {
      const batch = pick.all(Date.now(), 200) as OutboxRow[];
      if (batch.length === 0) return;
      let networkDown = false;
      const numbers = batch.filter((r) => r.kind === 'numbers');
      const others = batch.filter((r) => r.kind !== 'numbers');
      const handle = async (rows: OutboxRow[], call: () => Promise<void>): Promise<void> => {
        try {
          await withLogin(t, call);
          const at = this.now().toISOString();
          db.transaction(() => rows.forEach((r) => done.run(at, r.id)))();
          if (report) report.sent += rows.length;
          this.opts.onPoint?.('push:sent');
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          if (error instanceof TransportError && error.kind === 'rejected') {
            db.transaction(() => rows.forEach((r) => rejected.run(message.slice(0, 2000), r.id)))();
            if (report) report.rejected += rows.length;
            log.warn('outbox item rejected', { keys: rows.map((r) => r.key).slice(0, 5), message });
          } else {
            if (error instanceof TransportError && error.kind === 'network') networkDown = true;
            db.transaction(() => rows.forEach((r) => retry.run(Math.round(Date.now() + this.backoffDelay(r.attempts)), message.slice(0, 2000), r.id)))();
          }
        }
      };
      // Numbers reported in one call per series.
      const groups = new Map<string, OutboxRow[]>();
      for (const r of numbers) {
        const p = JSON.parse(r.payload) as { year: number; series: string };
        const k = `${p.year}\u0000${p.series}`;
        groups.set(k, [...(groups.get(k) ?? []), r]);
      }
      for (const rows of groups.values()) {
        const first = JSON.parse(rows[0]?.payload ?? '{}') as { year: number; series: string };
        const records = t.records;
        if (!records) continue;
        await handle(rows, async () => {
          await records.reportNumbers(
            first.year,
            first.series,
            rows.map((r) => {
              const p = JSON.parse(r.payload) as { number: number; ref: string };
              return { number: p.number, ref: p.ref };
            }),
          );
        });
      }
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < others.length && !networkDown) {
          const row = others[next++];
          if (!row) return;
          await handle([row], () => this.sendOne(row));
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.opts.concurrency * 2, others.length) }, worker));
      this.emit();
      if (networkDown) throw new TransportError('network', 'The server cannot be reached; outbox items stay queued');
    }
  }

  private async sendOne(row: OutboxRow): Promise<void> {
    const t = this.opts.transport;
    const payload = JSON.parse(row.payload) as Record<string, unknown>;
    if (row.kind === 'ack') {
      const p = payload as { item: InboxItem; result: 'done' | 'fail'; reason?: string };
      await t.ack(p.item, p.result, p.reason);
      return;
    }
    if (row.kind === 'package') {
      if (payload['kind'] === 'status') {
        await t.send(statusBytes(payload as { message: Record<string, unknown> }), { kind: 'status', idempotencyKey: row.key });
      } else {
        if (!row.blob_sha256) throw new TransportError('rejected', 'Outbox package has no content');
        await t.send(this.opts.files.read(row.blob_sha256), { kind: 'edoc', idempotencyKey: row.key });
      }
      return;
    }
    throw new TransportError('rejected', `Unknown outbox kind ${row.kind}`);
  }

  // ---------------------------------------------------------------- pull

  private async pull(deadline: number): Promise<number> {
    const db = this.opts.db;
    const t = this.opts.transport;
    let received = 0;
    this.cleanParts();
    for (let page = 0; page < 10_000 && Date.now() < deadline; page += 1) {
      const cursor = getState(db, 'inbox_cursor');
      const { items } = await withLogin(t, () => t.listInbox(cursor, this.opts.pageSize));
      this.opts.onPoint?.('pull:listed');
      if (items.length === 0) break;
      this.downloads = { active: 0, itemsDone: 0, itemsTotal: items.length, bytesDone: 0, bytesTotal: items.reduce((s, i) => s + (i.size ?? 0), 0) };
      this.emit();
      const known = db.prepare('SELECT 1 FROM exchange_inbox WHERE delivery_key = ?').pluck();
      // Downloads run ahead in a window; commits happen strictly in list order so the cursor stays exact.
      const window: Array<Promise<string>> = [];
      const start = (i: number): void => {
        const item = items[i];
        if (item) window[i] = known.get(item.key) ? Promise.resolve('') : this.download(item);
        window[i]?.catch(() => undefined);
      };
      for (let i = 0; i < Math.min(this.opts.concurrency, items.length); i += 1) start(i);
      for (let i = 0; i < items.length; i += 1) {
        const item = items[i] as InboxItem;
        let file: string;
        try {
          file = await (window[i] as Promise<string>);
        } catch (error) {
          // The round stops here, the cursor stays before this item; let the other downloads settle first.
          await Promise.allSettled(window);
          throw error;
        }
        start(i + this.opts.concurrency);
        if (file === '') {
          setState(db, 'inbox_cursor', String(item.key));
          continue;
        }
        const bytes = fs.readFileSync(file);
        const prepared = await prepareReceipt(this.ctx, item, bytes);
        this.opts.onPoint?.('pull:prepared');
        const pageCursor = /^\d+$/.test(item.key) ? item.key : null;
        const result = commitReceipt(this.ctx, prepared, pageCursor);
        this.opts.onPoint?.('pull:committed');
        fs.rmSync(file, { force: true });
        if (result.outcome === 'document') received += 1;
        this.downloads.itemsDone += 1;
        this.emit();
      }
      if (Date.now() >= deadline) break;
    }
    this.downloads.active = 0;
    return received;
  }

  private partPath(item: InboxItem): string {
    return path.join(this.partDir, `${crypto.createHash('sha256').update(item.key).digest('hex').slice(0, 32)}.part`);
  }

  /** Removes partial files of deliveries already committed (a crash after the commit). */
  private cleanParts(): void {
    const known = new Set(
      (this.opts.db.prepare('SELECT delivery_key FROM exchange_inbox ORDER BY received_at DESC LIMIT 5000').pluck().all() as string[]).map(
        (k) => `${crypto.createHash('sha256').update(k).digest('hex').slice(0, 32)}.part`,
      ),
    );
    for (const f of fs.readdirSync(this.partDir)) if (known.has(f)) fs.rmSync(path.join(this.partDir, f), { force: true });
  }

  /**
   * Streams a package to `<part>`, resuming after what an earlier attempt (or an earlier
   * process) wrote, and checks size and SHA-256 when the transport announced them.
   */
  private async download(item: InboxItem): Promise<string> {
    const file = this.partPath(item);
    let lastError: unknown = null;
    for (let attempt = 0; attempt < this.opts.downloadAttempts; attempt += 1) {
      if (attempt > 0) await sleep(this.backoffDelay(attempt));
      this.downloads.active += 1;
      try {
        const hash = crypto.createHash('sha256');
        let have = 0;
        if (fs.existsSync(file)) {
          have = fs.statSync(file).size;
          if (item.size !== null && have > item.size) {
            fs.rmSync(file);
            have = 0;
          } else if (have > 0) {
            for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) hash.update(chunk);
          }
        }
        if (item.size === null || have < item.size) {
          const stream = await withLogin(this.opts.transport, () => this.opts.transport.openDownload(item, have));
          if (stream.offset !== have) {
            // The transport restarted from the beginning.
            fs.rmSync(file, { force: true });
            hash.destroy();
            return this.finishFresh(item, file, stream.body);
          }
          const out = fs.openSync(file, 'a');
          try {
            for await (const chunk of stream.body) {
              fs.writeSync(out, chunk);
              hash.update(chunk);
              have += chunk.byteLength;
              this.downloads.bytesDone += chunk.byteLength;
              if (item.size !== null && have > item.size) throw new TransportError('network', 'Download longer than announced');
            }
          } finally {
            fs.closeSync(out);
          }
        }
        if (item.size !== null && have !== item.size) throw new TransportError('network', `Download incomplete (${have} of ${item.size} bytes)`);
        const digest = hash.digest('hex');
        if (item.sha256 !== null && digest !== item.sha256) {
          fs.rmSync(file, { force: true });
          throw new TransportError('network', 'Downloaded package does not match its checksum');
        }
        this.opts.onPoint?.('pull:downloaded');
        return file;
      } catch (error) {
        lastError = error;
        if (error instanceof TransportError && error.kind === 'rejected') throw error;
      } finally {
        this.downloads.active -= 1;
      }
    }
    throw lastError instanceof Error ? lastError : new TransportError('network', 'Download failed');
  }

  private async finishFresh(item: InboxItem, file: string, body: AsyncIterable<Uint8Array>): Promise<string> {
    const hash = crypto.createHash('sha256');
    const out = fs.openSync(file, 'w');
    let have = 0;
    try {
      for await (const chunk of body) {
        fs.writeSync(out, chunk);
        hash.update(chunk);
        have += chunk.byteLength;
      }
    } finally {
      fs.closeSync(out);
    }
    if ((item.size !== null && have !== item.size) || (item.sha256 !== null && hash.digest('hex') !== item.sha256)) {
      fs.rmSync(file, { force: true });
      throw new TransportError('network', 'Downloaded package incomplete or not matching its checksum');
    }
    return file;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
