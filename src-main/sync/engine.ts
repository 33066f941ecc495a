/**
 * The offline-first sync engine. One round (`syncOnce`): log in when needed, reconcile
 * leases, push the outbox, pull received packages, push again, then the agency's change
 * feed, then `afterPull` (the app verifies received signatures there). Rounds also run on
 * a timer and when connectivity returns (`notifyOnline`). Nothing here holds a database
 * transaction across network I/O, so work in the app never waits for a sync.
 *
 * The pull: pages listed with a persisted cursor; packages fetched `concurrency` at a
 * time (small ones into reused buffers, large ones into part files that resume); parsed
 * by worker threads (checksum, streaming edXML reader, attachments decoded to fsynced
 * temporary files); committed strictly in list order, several deliveries per transaction
 * with their transport acks and status 01 queued; those leave in batches while the pull
 * goes on, each batch after one flush of the log (`makeDurable`).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createLogger } from '../log.js';
import type { Db } from '../store/database.js';
import type { FileStore } from '../store/fileStore.js';
import { cachedStatement } from '../store/statements.js';
import { commitReceipts, receiveParseNow, statusBytes, type ExchangeContext, type PreparedReceipt } from './exchange.js';
import { adoptFiles, cleanIncoming, fsyncFile, incomingDir } from './receiveFiles.js';
import { ReceivePool } from './receivePool.js';
import type { PackageSource } from '../edxml/streamReader.js';
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
  isSigned?: ExchangeContext['isSigned'];
  /** Called whenever the state shown to the user changes. */
  onState?: (state: SyncState) => void;
  /** Test hook: called at named points of a round (kill tests). */
  onPoint?: (point: string) => void;
  /** Received deliveries committed together at most (one transaction, one flush). */
  commitGroup?: number;
  /**
   * Packages announced at most this size are fetched into memory and parsed from there
   * (a failed fetch starts again: little is lost); larger ones stream to a part file and
   * resume from where an interrupted attempt — or an earlier run of the app — stopped.
   */
  inMemoryMaxBytes?: number;
  /**
   * Outbox items sent at the same time (default 4 × concurrency): small requests, and the
   * server flushes those arriving together in one commit, so more in flight is faster.
   */
  pushConcurrency?: number;
  /** Called at the end of each successful round, after its pull and pushes (the app starts the received documents' signature checks). */
  afterPull?: () => Promise<void>;
  /**
   * The parse workers, owned by the caller so they outlive the engine: the app keeps one
   * pool for the process (a new session's engine finds the workers started and their code
   * already optimised). Without it the engine has its own, ended by `close`.
   */
  pool?: ReceivePool;
}

interface PreparedItem {
  item: InboxItem;
  /** The downloaded part file (removed after the commit); null when fetched into memory or committed earlier. */
  file: string | null;
  prepared: PreparedReceipt | null;
  /** Decoded attachments waiting in the incoming folder, with their hashes. */
  temp?: string[];
  sha256s?: string[];
}

export interface SyncState {
  online: boolean | null;
  running: boolean;
  lastSyncAt: string | null;
  lastError: string | null;
  pendingOutbox: number;
  /** Items the server refused (listed with their reasons by sync/refusals.ts). */
  rejectedOutbox: number;
  pendingIncoming: number;
  pendingRequests: number;
  downloads: { active: number; itemsDone: number; itemsTotal: number; bytesDone: number; bytesTotal: number };
  /** Another PC of the agency receives its packages (it holds the incoming register); null when this one does. */
  receivedBy: string | null;
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
  private readonly opts: Required<
    Pick<SyncOptions, 'concurrency' | 'backoff' | 'downloadAttempts' | 'pageSize' | 'commitGroup' | 'pushConcurrency' | 'inMemoryMaxBytes'>
  > &
    SyncOptions;
  private running: Promise<SyncReport> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private online: boolean | null = null;
  private lastError: string | null = null;
  private downloads = { active: 0, itemsDone: 0, itemsTotal: 0, bytesDone: 0, bytesTotal: 0 };
  /** The PC that receives the agency's packages when it is not this one (last listing). */
  private receivedBy: string | null = null;
  private readonly partDir: string;
  private readonly incoming: string;
  private readonly pool: ReceivePool;
  /** Whether `pool` is this engine's own (ended by `close`). */
  private readonly ownsPool: boolean;

  constructor(options: SyncOptions) {
    this.opts = {
      concurrency: 4,
      backoff: { baseMs: 1000, capMs: 5 * 60_000 },
      downloadAttempts: 3,
      pageSize: 100,
      commitGroup: 64,
      inMemoryMaxBytes: 4 * 1024 * 1024,
      pushConcurrency: Math.max(1, (options.concurrency ?? 4) * 4),
      ...options,
    };
    const pcId = pcIdOf(options.db);
    this.ctx = {
      db: options.db,
      files: options.files,
      pcId,
      transport: options.transport,
      now: options.now,
      isSigned: options.isSigned,
    };
    this.partDir = path.join(options.dataDir, 'sync', 'downloads');
    fs.mkdirSync(this.partDir, { recursive: true });
    this.incoming = incomingDir(options.files);
    cleanIncoming(this.incoming);
    this.ownsPool = options.pool === undefined;
    this.pool = options.pool ?? new ReceivePool();
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
      rejectedOutbox: db.prepare("SELECT count(*) FROM outbox WHERE state = 'rejected'").pluck().get() as number,
      pendingIncoming: db.prepare("SELECT count(*) FROM documents WHERE direction = 'incoming' AND status = 'pending'").pluck().get() as number,
      pendingRequests: db.prepare("SELECT count(*) FROM exchange_requests WHERE state = 'pending'").pluck().get() as number,
      downloads: { ...this.downloads },
      receivedBy: this.receivedBy,
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

  /** Stops the timer and ends the engine's own parse workers (a pool given in the options stays with its owner). */
  async close(): Promise<void> {
    this.stop();
    await this.running?.catch(() => undefined);
    if (this.ownsPool) await this.pool.close();
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
      if (this.directoryDue()) {
        const directory = await withLogin(t, () => t.directory());
        setState(this.opts.db, 'directory', JSON.stringify(directory));
        setState(this.opts.db, 'directory_at', String(Date.now()));
        this.online = true;
        this.emit();
      }
      await reconcileLeases(this.ctx);
      await claimFreeLeases(this.ctx, agencyYear(this.now()));
      await this.pushOutbox(report, deadline);
      report.received = await this.pull(deadline, report);
      this.online = true;
      await this.pushOutbox(report, deadline);
      this.makeDurable();
      report.feedPushed = await pushFeed(this.ctx);
      report.feedApplied = await pullFeed(this.ctx);
      await this.opts.afterPull?.();
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

  /** Every round, or once in the transport's `directoryMaxAgeMs` (the national axis lists some 100,000 agencies). */
  private directoryDue(): boolean {
    const maxAge = this.opts.transport.directoryMaxAgeMs ?? 0;
    const at = Number(getState(this.opts.db, 'directory_at') ?? 0);
    return maxAge <= 0 || !(Date.now() - at < maxAge);
  }

  // ---------------------------------------------------------------- push

  private backoffDelay(attempts: number): number {
    const { baseMs, capMs } = this.opts.backoff;
    return Math.random() * Math.min(capMs, baseMs * 2 ** Math.min(attempts, 20));
  }

  /**
   * Commits run with synchronous = NORMAL (safe against a crash of the app, not yet
   * against a power cut) — received deliveries too, with their transport acks and status
   * 01 queued in the same transactions. Before anything leaves for the server, one small
   * commit with synchronous = FULL flushes the write-ahead log, and every earlier commit
   * with it, so the server never hears of a change (a delivery received, above all) that a
   * power cut could undo: one flush per batch sent instead of one per commit.
   */
  private makeDurable(): void {
    const db = this.opts.db;
    const restore = db.pragma('synchronous', { simple: true }) as number;
    db.pragma('synchronous = FULL');
    try {
      setState(db, 'durable_at', this.now().toISOString());
    } finally {
      db.pragma(`synchronous = ${restore}`);
    }
  }

  /** Sends due outbox items until none is due or the deadline passes. */
  async pushOutbox(report?: SyncReport, deadline = Date.now() + 10 * 60_000): Promise<void> {
    const db = this.opts.db;
    const t = this.opts.transport;
    const pick = db.prepare("SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? AND kind <> 'feed' ORDER BY id LIMIT ?");
    const done = db.prepare("UPDATE outbox SET state = 'done', done_at = ?, last_error = NULL WHERE id = ?");
    const rejected = db.prepare("UPDATE outbox SET state = 'rejected', last_error = ?, refusal_code = ?, refused_at = ?, attempts = attempts + 1 WHERE id = ?");
    const retry = db.prepare('UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?');
    for (let pass = 0; pass < 10_000 && Date.now() < deadline; pass += 1) {
      const batch = pick.all(Date.now(), 200) as OutboxRow[];
      if (batch.length === 0) return;
      this.makeDurable();
      let networkDown = false;
      const numbers = batch.filter((r) => r.kind === 'numbers');
      // Transport acks go in one call per batch when the transport can (one request, one server flush).
      const ackMany = t.ackMany?.bind(t);
      const acks = ackMany ? batch.filter((r) => r.kind === 'ack') : [];
      // Status messages likewise, in requests of a bounded size.
      const sendMany = t.sendMany?.bind(t);
      const statuses = sendMany ? batch.filter(isStatusRow) : [];
      const batched = new Set(statuses);
      const others = batch.filter((r) => r.kind !== 'numbers' && !(ackMany && r.kind === 'ack') && !batched.has(r));
      /** `call` may answer per row (null: applied, an error: that row refused). */
      const handle = async (rows: OutboxRow[], call: () => Promise<void | Array<TransportError | null>>): Promise<void> => {
        try {
          const answers = await withLogin(t, call);
          const at = this.now().toISOString();
          const refusal = (i: number): TransportError | null => (Array.isArray(answers) ? (answers[i] ?? null) : null);
          db.transaction(() =>
            rows.forEach((r, i) => {
              const e = refusal(i);
              if (e) rejected.run(e.message.slice(0, 2000), e.code ?? null, at, r.id);
              else done.run(at, r.id);
            }),
          )();
          const refused = rows.filter((_r, i) => refusal(i) !== null).length;
          if (refused > 0) log.warn('outbox items rejected', { count: refused, message: refusal(rows.findIndex((_r, i) => refusal(i) !== null))?.message });
          if (report) {
            report.sent += rows.length - refused;
            report.rejected += refused;
          }
          this.opts.onPoint?.('push:sent');
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          if (error instanceof TransportError && error.kind === 'rejected') {
            const at = this.now().toISOString();
            db.transaction(() => rows.forEach((r) => rejected.run(message.slice(0, 2000), error.code ?? null, at, r.id)))();
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
      if (ackMany && acks.length > 0) {
        await handle(acks, () => ackMany(acks.map((r) => JSON.parse(r.payload) as { item: InboxItem; result: 'done' | 'fail'; reason?: string })));
      }
      for (let i = 0; sendMany && i < statuses.length && !networkDown; i += statusBatch) {
        const rows = statuses.slice(i, i + statusBatch);
        await handle(rows, () =>
          sendMany(rows.map((r) => ({ bytes: statusBytes(JSON.parse(r.payload) as { message: Record<string, unknown> }), kind: 'status' as const, idempotencyKey: r.key }))),
        );
      }
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < others.length && !networkDown) {
          const row = others[next++];
          if (!row) return;
          await handle([row], () => this.sendOne(row));
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.opts.pushConcurrency, others.length) }, worker));
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

  /** The push running behind the pull, if any. */
  private pushing: Promise<void> | null = null;

  /**
   * Transport acks and status 01 of committed deliveries leave while the pull goes on
   * (one push at a time; the pull waits for it before the round's own push), so the
   * senders learn of the arrival sooner and a long pull does not end with a long push.
   */
  private pushBehind(report: SyncReport, deadline: number): void {
    if (this.pushing) return;
    // Worth a request only with a batch's worth waiting (acks and statuses go 100 to a request).
    const due = cachedStatement(this.opts.db, "SELECT count(*) FROM (SELECT 1 FROM outbox WHERE state = 'pending' AND kind <> 'feed' LIMIT 200)").pluck().get() as number;
    if (due < 200) return;
    this.pushing = this.pushOutbox(report, deadline)
      .catch(() => undefined)
      .finally(() => {
        this.pushing = null;
      });
  }

  private async pull(deadline: number, report: SyncReport): Promise<number> {
    const db = this.opts.db;
    const t = this.opts.transport;
    let received = 0;
    const known = cachedStatement(db, 'SELECT 1 FROM exchange_inbox WHERE delivery_key = ?').pluck();
    /** A page of deliveries all committed already: their acks were sent once since (see below). */
    let acksFlushed = false;
    this.cleanParts();
    try {
      for (let page = 0; page < 10_000 && Date.now() < deadline; page += 1) {
        const cursor = getState(db, 'inbox_cursor');
        const { items, receivedBy } = await withLogin(t, () => t.listInbox(cursor, this.opts.pageSize));
        this.opts.onPoint?.('pull:listed');
        if (page === 0) this.receivedBy = receivedBy ?? null;
        if (items.length === 0) break;
        // A transport without a cursor (the national axis) lists what is pending until acknowledged:
        // when nothing listed is new, send the acks once and list again; still nothing new, stop.
        // Deliveries of the page committed already (their acks may be queued): looked up once, here.
        const committedKeys = new Set(items.filter((i) => known.get(i.key) !== undefined).map((i) => i.key));
        if (committedKeys.size === items.length) {
          if (acksFlushed) break;
          await this.pushing;
          await this.pushOutbox(report, deadline);
          acksFlushed = true;
          continue;
        }
        acksFlushed = false;
        this.downloads = { active: 0, itemsDone: 0, itemsTotal: items.length, bytesDone: 0, bytesTotal: items.reduce((s, i) => s + (i.size ?? 0), 0) };
        this.emit();
        received += await this.pullPage(items, committedKeys, report, deadline);
        if (Date.now() >= deadline) break;
      }
    } finally {
      this.downloads.active = 0;
      this.pool.releaseBuffers();
      await this.pushing;
    }
    return received;
  }

  /**
   * One page: downloads run ahead (`concurrency` at a time), each finished download is
   * parsed by the receive worker (payloads decoded to fsynced temporary files), and
   * commits happen strictly in list order so the cursor stays exact — several prepared
   * deliveries per transaction when they are ready together (`commitGroup` at most).
   */
  private async pullPage(items: InboxItem[], committedKeys: ReadonlySet<string>, report: SyncReport, deadline: number): Promise<number> {
    const concurrency = Math.max(1, this.opts.concurrency);
    const aheadMax = Math.max(concurrency, this.opts.commitGroup * 2);
    const ready: Array<Promise<PreparedItem>> = [];
    const settled: boolean[] = [];
    let started = 0;
    let inFlight = 0;
    /** Downloaded, not yet parsed: bounded, so packages held in memory do not pile up before a busy parser. */
    let parsing = 0;
    let committed = 0;
    let received = 0;
    const pump = (): void => {
      while (started < items.length && inFlight < concurrency && parsing < concurrency * 2 && started - committed < aheadMax) {
        const i = started++;
        const item = items[i] as InboxItem;
        if (committedKeys.has(item.key)) {
          ready[i] = Promise.resolve({ item, file: null, prepared: null });
        } else {
          inFlight += 1;
          ready[i] = this.download(item)
            .finally(() => {
              inFlight -= 1;
              pump();
            })
            .then((source) => {
              parsing += 1;
              return this.prepare(item, source).finally(() => {
                parsing -= 1;
                pump();
              });
            });
        }
        ready[i]?.then(
          () => (settled[i] = true),
          () => (settled[i] = true),
        );
      }
    };
    pump();
    try {
      while (committed < items.length) {
        const group: PreparedItem[] = [await (ready[committed] as Promise<PreparedItem>)];
        // More that are ready now join the group; a failed one ends it (and the round, next turn).
        for (let j = committed + 1; j < items.length && group.length < this.opts.commitGroup && settled[j]; j += 1) {
          const next = await (ready[j] as Promise<PreparedItem>).catch(() => null);
          if (!next) break;
          group.push(next);
        }
        received += await this.commitGroup(group);
        committed += group.length;
        this.downloads.itemsDone += group.length;
        this.emit();
        pump();
        this.pushBehind(report, deadline);
      }
    } catch (error) {
      // The round stops here, the cursor stays before this item; let the other work settle first,
      // removing what was decoded for deliveries that will not be committed now.
      await Promise.allSettled(ready);
      for (let j = committed; j < started; j += 1) {
        const p = await (ready[j] as Promise<PreparedItem>).catch(() => null);
        for (const f of p?.temp ?? []) fs.rmSync(f, { force: true });
      }
      throw error;
    }
    return received;
  }

  /** Parses a downloaded package off the main thread; its decoded files are fsynced before it is ready. */
  private async prepare(item: InboxItem, source: PackageSource): Promise<PreparedItem> {
    const file = 'file' in source ? source.file : null;
    const answer = await this.pool.read(source, this.incoming, receiveParseNow(this.ctx), file === null ? item.sha256 : null);
    if (!answer.ok && 'failed' in answer) throw new Error(`Received package could not be read: ${answer.failed}`);
    // Fetched into memory with the right length but other bytes: the round stops, the next one fetches it again.
    if (!answer.ok && 'corrupt' in answer) throw new TransportError('network', answer.corrupt);
    const prepared: PreparedReceipt = { item, parsed: null, parseError: null, stored: [] };
    const temp: string[] = [];
    if (!answer.ok) prepared.parseError = answer.refused;
    else if (answer.parsed.kind === 'status') prepared.parsed = answer.parsed;
    else {
      const { attachments, ...rest } = answer.parsed.document;
      const plain = attachments.map(({ file: _f, sha256: _s, ...a }) => a);
      prepared.parsed = { kind: 'document', document: { ...rest, attachments: plain } };
      prepared.stored = attachments.map(({ file: _f, sha256, ...a }) => ({ attachment: a, sha256 }));
      temp.push(...attachments.map((a) => a.file));
      try {
        await Promise.all(temp.map((f) => fsyncFile(f)));
      } catch (error) {
        for (const f of temp) fs.rmSync(f, { force: true });
        throw error;
      }
    }
    this.opts.onPoint?.('pull:prepared');
    return { item, file, prepared, temp, sha256s: prepared.stored.map((s) => s.sha256) };
  }

  /** Files into the store, then one transaction for the group, then the part files go. */
  private async commitGroup(group: PreparedItem[]): Promise<number> {
    const entries: Array<{ file: string; sha256: string }> = [];
    for (const g of group) (g.temp ?? []).forEach((file, k) => entries.push({ file, sha256: g.sha256s?.[k] ?? '' }));
    await adoptFiles(this.opts.files, entries);
    const cursorOf = (item: InboxItem): string | null => (/^\d+$/.test(item.key) ? item.key : null);
    let results: Array<{ outcome: string }>;
    try {
      results = commitReceipts(
        this.ctx,
        group.map((g) => ({ prepared: g.prepared, item: g.item, cursor: cursorOf(g.item) })),
      );
    } catch (error) {
      if (group.length === 1) throw error;
      // One delivery of the group cannot be committed: commit the ones before it, as one by one would.
      results = [];
      for (const g of group) {
        results.push(...commitReceipts(this.ctx, [{ prepared: g.prepared, item: g.item, cursor: cursorOf(g.item) }]));
      }
    }
    for (const g of group) {
      this.opts.onPoint?.('pull:committed');
      if (g.file) fs.rmSync(g.file, { force: true });
    }
    return results.filter((r) => r.outcome === 'document').length;
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

  /** Fetches a package (into memory or a part file, see `inMemoryMaxBytes`), with retries. */
  private async download(item: InboxItem): Promise<PackageSource> {
    const file = this.partPath(item);
    const inMemory = item.size !== null && item.size <= this.opts.inMemoryMaxBytes && !fs.existsSync(file);
    let lastError: unknown = null;
    for (let attempt = 0; attempt < this.opts.downloadAttempts; attempt += 1) {
      if (attempt > 0) await sleep(this.backoffDelay(attempt));
      this.downloads.active += 1;
      try {
        return inMemory ? { bytes: await this.fetchWhole(item) } : { file: await this.fetchToPart(item, file) };
      } catch (error) {
        lastError = error;
        if (error instanceof TransportError && error.kind === 'rejected') throw error;
      } finally {
        this.downloads.active -= 1;
      }
    }
    throw lastError instanceof Error ? lastError : new TransportError('network', 'Download failed');
  }

  /**
   * A small package of announced size, into one buffer it owns (moved to the parser
   * without a copy). The length is checked here; the SHA-256 by the parse worker, off
   * the main thread, before it reads anything.
   */
  private async fetchWhole(item: InboxItem): Promise<Uint8Array> {
    const size = item.size ?? 0;
    const stream = await withLogin(this.opts.transport, () => this.opts.transport.openDownload(item, 0));
    const bytes = this.pool.buffer(size);
    let have = 0;
    for await (const chunk of stream.body) {
      if (have + chunk.byteLength > size) throw new TransportError('network', 'Download longer than announced');
      bytes.set(chunk, have);
      have += chunk.byteLength;
      this.downloads.bytesDone += chunk.byteLength;
    }
    if (have !== size) throw new TransportError('network', `Download incomplete (${have} of ${size} bytes)`);
    this.opts.onPoint?.('pull:downloaded');
    return bytes;
  }

  /**
   * Streams a package to its part file, resuming after what an earlier attempt (or an
   * earlier process) wrote, and checks size and SHA-256 when the transport announced them.
   */
  private async fetchToPart(item: InboxItem, file: string): Promise<string> {
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

/** Status messages per batch request (a few KB each). */
const statusBatch = 100;

function isStatusRow(row: OutboxRow): boolean {
  return row.kind === 'package' && (JSON.parse(row.payload) as { kind?: unknown }).kind === 'status';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
