/**
 * Sync and exchange channels: the connection to the provincial server (one SyncEngine
 * per store, created when the server is configured), and the clerk's exchange actions
 * (accept / return received documents, answer recall and update requests, send an
 * issued document, statuses).
 *
 * The server URL and user name are kept in the store (sync_state); the password only in
 * this object's memory for the current run — never on disk, in a log or in the renderer.
 * (Next step: Electron's safeStorage, so the app can sync after a restart without asking.)
 * Without a configured server the exchange actions still work locally: the context has
 * no transport, and numbering then follows the store's own rules (a PC whose registers are
 * shared refuses to number a series it holds no lease on).
 */
import type { Handlers, SyncConfigureInput } from '../api/contract.js';
import { AppError } from '../api/errors.js';
import type { DirectoryEntry, ExchangeRequest, ExchangeStatus, SyncStateView } from '../api/types.js';
import { loadDocument } from '../documents/documentRows.js';
import { requireAgency } from '../documents/masterData.js';
import { createLogger } from '../log.js';
import type { Db } from '../store/database.js';
import type { FileStore } from '../store/fileStore.js';
import { SyncEngine, type SyncOptions } from '../sync/engine.js';
import { acceptIncoming, answerRequest, listRequests, queueSendOutgoing, returnIncoming, statusesOf, type ExchangeContext } from '../sync/exchange.js';
import { ReferenceTransport } from '../sync/referenceTransport.js';
import { getState, pcIdOf, setState } from '../sync/state.js';
import { TransportError } from '../sync/transport.js';

const log = createLogger('app.sync');

export interface SyncHandlerOptions {
  /** Electron: periodic rounds (ms) once configured; absent = rounds only on `sync:now`. */
  autoStartMs?: number;
  /** Per-request timeout of the transport (ms). */
  timeoutMs?: number;
  /** Passed to the engine (tests: short backoff). */
  engine?: Partial<Pick<SyncOptions, 'backoff' | 'concurrency' | 'now'>>;
}

type SyncChannel =
  | 'sync:state'
  | 'sync:now'
  | 'sync:configure'
  | 'exchange:accept'
  | 'exchange:return'
  | 'exchange:requests'
  | 'exchange:answer'
  | 'exchange:send'
  | 'exchange:statuses'
  | 'exchange:directory';

const serverKey = 'client_server_url';
const userKey = 'client_username';

/** One per store: holds the engine, the transport and (in memory) the password. */
export class SyncController {
  private engine: SyncEngine | null = null;
  private localCtx: ExchangeContext | null = null;

  constructor(
    private readonly db: Db,
    private readonly files: FileStore,
    private readonly dataDir: string,
    private readonly options: SyncHandlerOptions = {},
  ) {}

  get configured(): boolean {
    return this.engine !== null;
  }

  /** The engine's exchange context, or a local one (no transport) before the server is configured. */
  ctx(): ExchangeContext {
    if (this.engine) return this.engine.ctx;
    this.localCtx ??= { db: this.db, files: this.files, pcId: pcIdOf(this.db), transport: null, now: this.options.engine?.now };
    return this.localCtx;
  }

  /**
   * Connects to a server: checks the user name and password with a login (a refused login
   * keeps nothing), then starts the engine. An unreachable server is kept: the engine retries.
   */
  async configure(input: SyncConfigureInput): Promise<SyncStateView> {
    const agency = requireAgency(this.db).code;
    const { serverUrl, username } = input;
    let password: string | null = input.password;
    const transport = new ReferenceTransport({
      baseUrl: serverUrl,
      pcId: pcIdOf(this.db),
      credentials: () => {
        if (password === null) throw new TransportError('rejected', 'Sync stopped');
        return { agency, username, password };
      },
      timeoutMs: this.options.timeoutMs ?? 15_000,
    });
    try {
      await transport.login();
    } catch (error) {
      if (error instanceof TransportError && (error.kind === 'rejected' || error.kind === 'unauthorized')) {
        password = null;
        throw new AppError('FORBIDDEN', 'The server refused this user name and password', { reason: 'LOGIN_REJECTED' });
      }
      log.warn('server not reachable at configuration; kept, will retry', { kind: error instanceof TransportError ? error.kind : 'unknown' });
    }
    await this.stop();
    setState(this.db, serverKey, serverUrl);
    setState(this.db, userKey, username);
    this.engine = new SyncEngine({
      db: this.db,
      files: this.files,
      dataDir: this.dataDir,
      transport,
      ...this.options.engine,
    });
    this.forget = () => {
      password = null;
    };
    if (this.options.autoStartMs) this.engine.start(this.options.autoStartMs);
    log.info('sync configured', { serverUrl, username });
    return this.state();
  }

  private forget: () => void = () => undefined;

  state(): SyncStateView {
    const serverUrl = getState(this.db, serverKey);
    const username = getState(this.db, userKey);
    if (this.engine) {
      const s = this.engine.state();
      return {
        configured: true,
        serverUrl,
        username,
        online: s.online,
        running: s.running,
        lastSyncAt: s.lastSyncAt,
        lastError: s.lastError,
        pendingOutbox: s.pendingOutbox,
        rejectedOutbox: s.rejectedOutbox.length,
        pendingIncoming: s.pendingIncoming,
        pendingRequests: s.pendingRequests,
        downloads: s.downloads,
      };
    }
    const count = (sql: string): number => this.db.prepare(sql).pluck().get() as number;
    return {
      configured: false,
      serverUrl,
      username,
      online: null,
      running: false,
      lastSyncAt: getState(this.db, 'last_sync_at'),
      lastError: null,
      pendingOutbox: count("SELECT count(*) FROM outbox WHERE state = 'pending'"),
      rejectedOutbox: count("SELECT count(*) FROM outbox WHERE state = 'rejected'"),
      pendingIncoming: count("SELECT count(*) FROM documents WHERE direction = 'incoming' AND status = 'pending'"),
      pendingRequests: count("SELECT count(*) FROM exchange_requests WHERE state = 'pending'"),
      downloads: { active: 0, itemsDone: 0, itemsTotal: 0, bytesDone: 0, bytesTotal: 0 },
    };
  }

  async syncNow() {
    if (!this.engine) throw new AppError('SETUP_REQUIRED', 'No server is configured for sync', { reason: 'SYNC_NOT_CONFIGURED' });
    const report = await this.engine.syncOnce();
    return { ok: report.ok, received: report.received, sent: report.sent, rejected: report.rejected, error: report.error, state: this.state() };
  }

  /** Connectivity came back (Electron `online`): a round starts now. */
  notifyOnline(): void {
    this.engine?.notifyOnline();
  }

  /** Starts a round in the background (after a send, so the package leaves at once). */
  kick(): void {
    if (this.engine) void this.engine.syncOnce().catch(() => undefined);
  }

  /** Stops the timer, lets a running round finish (bounded), forgets the password. */
  async stop(waitMs = 5000): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    this.forget();
    this.forget = () => undefined;
    if (!engine) return;
    engine.stop();
    if (engine.state().running) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([engine.syncOnce().catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      if (timer) clearTimeout(timer);
    }
  }
}

export interface SyncGroup {
  handlers: Pick<Handlers, SyncChannel>;
  controller: SyncController;
}

function directory(db: Db): DirectoryEntry[] {
  const own = (db.prepare('SELECT code FROM agency').pluck().get() as string | undefined) ?? '';
  const fromServer = JSON.parse(getState(db, 'directory') ?? '[]') as Array<{ code?: unknown; name?: unknown }>;
  const out = new Map<string, DirectoryEntry>();
  for (const d of fromServer) if (typeof d.code === 'string' && typeof d.name === 'string' && d.code !== own) out.set(d.code, { code: d.code, name: d.name });
  const external = db.prepare('SELECT code, name FROM external_agencies WHERE code IS NOT NULL ORDER BY name').all() as DirectoryEntry[];
  for (const e of external) if (!out.has(e.code) && e.code !== own) out.set(e.code, e);
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name, 'vi'));
}

function requests(db: Db): ExchangeRequest[] {
  const docs = db.prepare('SELECT subject, code_number, code_notation FROM documents WHERE id = ?');
  return listRequests(db, 'pending').map((r) => {
    const d = docs.get(r.documentId) as { subject: string; code_number: string | null; code_notation: string | null } | undefined;
    const code = [d?.code_number, d?.code_notation].filter(Boolean).join('/');
    return { ...r, documentSubject: d?.subject ?? '', documentCode: code || null };
  });
}

function statuses(db: Db, id: number): ExchangeStatus[] {
  if (!db.prepare('SELECT 1 FROM documents WHERE id = ?').get(id)) throw new AppError('NOT_FOUND', 'Document not found');
  const names = new Map(directory(db).map((d) => [d.code, d.name]));
  return statusesOf(db, id).map((s) => ({ ...s, organName: names.get(s.organId) ?? null }));
}

export function createSyncHandlers(db: Db, files: FileStore, dataDir: string, options: SyncHandlerOptions = {}): SyncGroup {
  const controller = new SyncController(db, files, dataDir, options);
  const pendingDocument = (id: number): void => {
    const row = db.prepare('SELECT direction, status FROM documents WHERE id = ?').get(id) as { direction: string; status: string } | undefined;
    if (!row) throw new AppError('NOT_FOUND', 'Document not found');
    if (row.direction !== 'incoming' || row.status !== 'pending') throw new AppError('CONFLICT', 'Only received documents waiting for acceptance can be accepted or returned', { reason: 'NOT_PENDING' });
  };
  return {
    controller,
    handlers: {
      'sync:state': () => controller.state(),
      'sync:now': () => controller.syncNow(),
      'sync:configure': (input) => controller.configure(input),
      'exchange:accept': async (input) => {
        pendingDocument(input.id);
        const record = await acceptIncoming(controller.ctx(), input.id, { arrivalDate: input.arrivalDate });
        controller.kick();
        return record;
      },
      'exchange:return': (input) => {
        pendingDocument(input.id);
        returnIncoming(controller.ctx(), input.id, input.reason);
        controller.kick();
        const record = loadDocument(db, input.id);
        if (!record) throw new AppError('NOT_FOUND', 'Document not found');
        return record;
      },
      'exchange:requests': () => requests(db),
      'exchange:answer': (input) => {
        answerRequest(controller.ctx(), input.requestId, input.agree, input.reason ?? '');
        controller.kick();
        return requests(db);
      },
      'exchange:send': (input) => {
        queueSendOutgoing(controller.ctx(), input.id, [...new Set(input.recipients)]);
        controller.kick();
        return statuses(db, input.id);
      },
      'exchange:statuses': (input) => statuses(db, input.id),
      'exchange:directory': () => directory(db),
    },
  };
}
