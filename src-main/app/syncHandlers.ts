/**
 * Sync and exchange channels: the connection to the provincial server (one SyncEngine
 * per store, created when the server is configured), and the clerk's exchange actions
 * (accept / return received documents, answer recall and update requests, send an
 * issued document, statuses).
 *
 * The server URL and user name are kept in the store (sync_state). The password is held
 * in this object's memory for the run and never goes to sync_state, a log, an error or the
 * renderer. When the user asks to remember it (`remember`) and the host has a SecretStore
 * (the app: Electron's safeStorage, refused on Linux's hard-coded `basic_text` backend;
 * the preview and the CLI have none), it is also kept encrypted in
 * `<dataDir>/sync/credential.bin` (sync/secretStore.ts) after a login accepted it, bound to
 * the server URL, user name and agency; at the next start the engine is then created from
 * it without asking. A credential that cannot be decrypted, or that the server refuses
 * (401: changed on the server), is deleted and sync waits for the password again (the
 * state says why); `sync:forget` deletes it and stops sync.
 * Without a configured server the exchange actions still work locally: the context has
 * no transport, and numbering then follows the store's own rules (a PC whose registers are
 * shared refuses to number a series it holds no lease on).
 *
 * Received documents get their PDF signatures verified after they arrived, outside the
 * sync round (sync/receivedSignatures.ts, offline with the app's trust store as
 * `signing:verify` builds it): a run starts at the end of each round (the engine's
 * `afterPull`, which does not wait for it) and after `sync:now`; one run at a time.
 */
import type { Handlers, SyncConfigureInput } from '../api/contract.js';
import { AppError } from '../api/errors.js';
import type { DirectoryEntry, ExchangeRequest, ExchangeStatus, SyncStateView } from '../api/types.js';
import { loadDocument } from '../documents/documentRows.js';
import { requireAgency } from '../documents/masterData.js';
import { createLogger } from '../log.js';
import type { Db } from '../store/database.js';
import { cachedStatement } from '../store/statements.js';
import type { FileStore } from '../store/fileStore.js';
import { SyncEngine, type SyncOptions } from '../sync/engine.js';
import { acceptIncoming, answerRequest, listRequests, queueSendOutgoing, returnIncoming, statusesOf, type ExchangeContext } from '../sync/exchange.js';
import { ReferenceTransport } from '../sync/referenceTransport.js';
import { ReceivePool } from '../sync/receivePool.js';
import { deleteCredential, hasCredential, loadCredential, saveCredential, type SecretStore } from '../sync/secretStore.js';
import { listRefusals, retryRefusal } from '../sync/refusals.js';
import { getState, pcIdOf, setState } from '../sync/state.js';
import { TransportError, type SyncTransport } from '../sync/transport.js';
import { VdxpTransport } from '../sync/vdxpTransport.js';
import { ReceivedSignatureChecks, type ReceivedSignatureOptions } from './receivedSignatureChecks.js';

const log = createLogger('app.sync');

export interface SyncHandlerOptions {
  /** Electron: periodic rounds (ms) once configured; absent = rounds only on `sync:now`. */
  autoStartMs?: number;
  /** Per-request timeout of the transport (ms). */
  timeoutMs?: number;
  /** Passed to the engine (tests: short backoff). */
  engine?: Partial<Pick<SyncOptions, 'backoff' | 'concurrency' | 'now'>>;
  /** Encrypts a remembered password (Electron: safeStorage). Absent: the password is never remembered. */
  secrets?: SecretStore | undefined;
  /**
   * Signature checks of received documents: the trust sources besides the default ones (as
   * SigningOptions.trust), the verification's "now", documents per run. `false`: no checks.
   */
  receivedSignatures?: ReceivedSignatureOptions | false;
}

type SyncChannel =
  | 'sync:state'
  | 'sync:now'
  | 'sync:configure'
  | 'sync:forget'
  | 'sync:refusals'
  | 'sync:retry'
  | 'exchange:accept'
  | 'exchange:return'
  | 'exchange:requests'
  | 'exchange:answer'
  | 'exchange:send'
  | 'exchange:statuses'
  | 'exchange:directory';

const serverKey = 'client_server_url';
const userKey = 'client_username';
const protocolKey = 'client_protocol';

type Protocol = SyncStateView['protocol'];

interface Account {
  protocol: Protocol;
  serverUrl: string;
  /** The user name on the provincial server; the agency's code on the axis. */
  username: string;
  agency: string;
}

/** One configured connection: its engine and, in memory, its password. */
interface Session {
  account: Account;
  engine: SyncEngine;
  /** In memory; null once the session is stopped or its password known wrong: no further login is tried. */
  secret: { password: string | null };
  /** The password in use is the one stored encrypted on disk. */
  remembered: boolean;
  /** Remember was asked but no login has accepted the password yet (server unreachable at configuration). */
  rememberPending: boolean;
}

/**
 * Tells the controller how each login of a transport ended (a refused remembered password
 * matters): a refusal is a 401/403 of the provincial server, or the axis refusing the
 * signature of the check call. "Sync stopped" and network errors are neither.
 */
function watchLogins(transport: SyncTransport, onLogin: (outcome: 'accepted' | 'refused') => void): void {
  const login = transport.login.bind(transport);
  transport.login = async (): Promise<void> => {
    try {
      await login();
    } catch (error) {
      if (error instanceof TransportError && error.kind === 'rejected' && (error.status === 401 || error.status === 403 || error.code === 'AUTH')) onLogin('refused');
      throw error;
    }
    onLogin('accepted');
  };
}

/** One per store: holds the engine, the transport and (in memory) the password. */
export class SyncController {
  private session: Session | null = null;
  private localCtx: ExchangeContext | null = null;
  /** Why the remembered password was deleted during this run (shown in the state until the next configuration). */
  private dropped: SyncStateView['rememberedPasswordDropped'] = null;
  /** Signature checks of received documents (null: turned off). */
  private readonly checks: ReceivedSignatureChecks | null;
  /** The pull's parse workers, one pool for the run: each session's engine uses it, `close` ends it. */
  private readonly pool = new ReceivePool();

  constructor(
    private readonly db: Db,
    private readonly files: FileStore,
    private readonly dataDir: string,
    private readonly options: SyncHandlerOptions = {},
  ) {
    this.checks = options.receivedSignatures === false ? null : new ReceivedSignatureChecks(db, files, dataDir, options.receivedSignatures);
    this.resume();
  }

  /** Verifies the signatures of received documents not verified yet; resolves with the verdicts written (tests, a "check now"). */
  verifyReceived(): Promise<number> {
    return this.checks?.request() ?? Promise.resolve(0);
  }

  /** The engine's `afterPull`: starts the checks and returns at once, so the round does not wait for them. */
  private afterRound(): Promise<void> {
    void this.checks?.request();
    // A successful round proves the password: remembered now if asked while the server was
    // unreachable (the axis has no login during rounds that would do it).
    const session = this.session;
    if (session?.rememberPending) this.remember(session);
    return Promise.resolve();
  }

  get configured(): boolean {
    return this.session !== null;
  }

  /** The engine's exchange context, or a local one (no transport) before the server is configured. */
  ctx(): ExchangeContext {
    if (this.session) return this.session.engine.ctx;
    this.localCtx ??= { db: this.db, files: this.files, pcId: pcIdOf(this.db), transport: null, now: this.options.engine?.now };
    return this.localCtx;
  }

  private canRemember(): boolean {
    try {
      return this.options.secrets?.available().ok === true;
    } catch {
      return false;
    }
  }

  /** At open: with a server and user configured and a remembered password that decrypts, sync starts without asking. */
  private resume(): void {
    const secrets = this.options.secrets;
    try {
      if (!secrets || !hasCredential(this.dataDir)) return;
      const availability = secrets.available();
      if (!availability.ok) {
        // The keyring may come back (locked session): the file is kept, and not used now.
        log.warn('a remembered sync password exists but cannot be decrypted on this host now; sync waits for the password', { reason: availability.reason });
        return;
      }
      const serverUrl = getState(this.db, serverKey);
      const username = getState(this.db, userKey);
      const protocol = protocolOf(this.db);
      const agency = this.db.prepare('SELECT code FROM agency').pluck().get() as string | undefined;
      const loaded = loadCredential(this.dataDir, secrets);
      if (loaded.state === 'none') return;
      if (loaded.state === 'unreadable') {
        deleteCredential(this.dataDir);
        this.dropped = 'unreadable';
        log.warn('the remembered sync password could not be read (key changed or file damaged); deleted, sync waits for the password', { reason: loaded.reason });
        return;
      }
      const { credential } = loaded;
      if (
        !serverUrl ||
        !username ||
        !agency ||
        (credential.protocol ?? 'reference') !== protocol ||
        credential.serverUrl !== serverUrl ||
        credential.username !== username ||
        credential.agency !== agency
      ) {
        deleteCredential(this.dataDir);
        log.warn('the remembered sync password was for another server, user or agency; deleted');
        return;
      }
      this.session = this.connect({ protocol, serverUrl, username, agency }, credential.password).open({ remembered: true, rememberPending: false });
      if (this.options.autoStartMs) this.session.engine.start(this.options.autoStartMs);
      log.info('sync resumed with the remembered password', { serverUrl, username });
    } catch (error) {
      // (file system or keyring trouble: never the secret, only the kind of error)
      this.session = null;
      log.error('sync could not resume with the remembered password', { error: error instanceof Error ? error.name : typeof error });
    }
  }

  /**
   * The transport of a future session (logins can be tried before the engine exists); `open`
   * then creates the engine — only once any previous engine is stopped, as it cleans the
   * incoming folder.
   */
  private connect(account: Account, password: string): { transport: SyncTransport; secret: { password: string | null }; open: (memory: Pick<Session, 'remembered' | 'rememberPending'>) => Session } {
    const secret: { password: string | null } = { password };
    let session: Session | null = null;
    const current = (): string => {
      if (secret.password === null) throw new TransportError('rejected', 'Sync stopped');
      return secret.password;
    };
    const timeoutMs = this.options.timeoutMs ?? 15_000;
    const transport: SyncTransport =
      account.protocol === 'vdxp'
        ? new VdxpTransport({ endpoint: account.serverUrl, systemId: account.agency, secret: current, timeoutMs })
        : new ReferenceTransport({
            baseUrl: account.serverUrl,
            pcId: pcIdOf(this.db),
            credentials: () => ({ agency: account.agency, username: account.username, password: current() }),
            timeoutMs,
          });
    watchLogins(transport, (outcome) => {
      if (session) this.loginEnded(session, outcome);
    });
    const open = (memory: Pick<Session, 'remembered' | 'rememberPending'>): Session => {
      const engine = new SyncEngine({ db: this.db, files: this.files, dataDir: this.dataDir, transport, ...this.options.engine, pool: this.pool, afterPull: () => this.afterRound() });
      session = { account, engine, secret, ...memory };
      return session;
    };
    return { transport, secret, open };
  }

  /** After each login of a session: remember a password once accepted; drop a remembered one the server refuses. */
  private loginEnded(session: Session, outcome: 'accepted' | 'refused'): void {
    if (this.session !== session) return; // configuration in progress or session replaced: configure() decides
    if (outcome === 'accepted') {
      if (session.rememberPending) this.remember(session);
      return;
    }
    session.rememberPending = false;
    if (!session.remembered) return; // a password typed for this run: the engine keeps retrying, as before
    deleteCredential(this.dataDir);
    this.dropped = 'rejected';
    session.remembered = false;
    session.secret.password = null;
    session.engine.stop();
    this.session = null;
    log.warn('the server refused the remembered sync password; deleted, sync waits for the password', { serverUrl: session.account.serverUrl, username: session.account.username });
  }

  private remember(session: Session): void {
    session.rememberPending = false;
    const secrets = this.options.secrets;
    const password = session.secret.password;
    if (!secrets || password === null || !this.canRemember()) return;
    try {
      saveCredential(this.dataDir, secrets, { ...session.account, password });
      session.remembered = true;
      log.info('sync password remembered (encrypted)', { serverUrl: session.account.serverUrl, username: session.account.username });
    } catch (error) {
      deleteCredential(this.dataDir);
      log.warn('the sync password could not be remembered; kept for this run only', { error: error instanceof Error ? error.name : typeof error });
    }
  }

  /**
   * Connects to a server: checks the user name and password with a login (a refused login
   * keeps nothing), then starts the engine. An unreachable server is kept: the engine retries.
   * With `remember` (and a SecretStore), the password is stored encrypted once a login has
   * accepted it; without, any remembered password is deleted.
   */
  async configure(input: SyncConfigureInput): Promise<SyncStateView> {
    const agency = requireAgency(this.db).code;
    const account: Account = { protocol: input.protocol, serverUrl: input.serverUrl, username: input.protocol === 'vdxp' ? agency : input.username, agency };
    const remember = input.remember && this.canRemember();
    const connection = this.connect(account, input.password);
    let accepted = false;
    try {
      await connection.transport.login();
      accepted = true;
    } catch (error) {
      if (error instanceof TransportError && (error.kind === 'rejected' || error.kind === 'unauthorized')) {
        connection.secret.password = null;
        throw account.protocol === 'vdxp'
          ? new AppError('FORBIDDEN', 'The axis refused this agency code and secret', { reason: 'AXIS_REJECTED' })
          : new AppError('FORBIDDEN', 'The server refused this user name and password', { reason: 'LOGIN_REJECTED' });
      }
      log.warn('server not reachable at configuration; kept, will retry', { kind: error instanceof TransportError ? error.kind : 'unknown' });
    }
    await this.stop();
    setState(this.db, serverKey, account.serverUrl);
    setState(this.db, userKey, account.username);
    setState(this.db, protocolKey, account.protocol);
    // Another server (or axis): its directory is fetched in the first round, not kept from the last one.
    setState(this.db, 'directory_at', '0');
    this.dropped = null;
    if (!remember) {
      if (deleteCredential(this.dataDir)) log.info('remembered sync password deleted (not asked to remember)');
    } else if (!accepted) {
      // Not checked yet: the previous remembered password is no longer the one to use; stored after the first accepted login.
      deleteCredential(this.dataDir);
    }
    const session = connection.open({ remembered: false, rememberPending: remember });
    this.session = session;
    if (accepted && session.rememberPending) this.remember(session);
    if (this.options.autoStartMs) session.engine.start(this.options.autoStartMs);
    log.info('sync configured', { serverUrl: account.serverUrl, username: account.username, remembered: session.remembered });
    return this.state();
  }

  /** Deletes the remembered password and stops sync; server URL and user name stay for the form. */
  async forget(): Promise<SyncStateView> {
    const existed = deleteCredential(this.dataDir);
    this.dropped = null;
    await this.stop();
    log.info('sync stopped; remembered password deleted', { existed });
    return this.state();
  }

  state(): SyncStateView {
    const serverUrl = getState(this.db, serverKey);
    const username = getState(this.db, userKey);
    const credential = {
      passwordRemembered: hasCredential(this.dataDir),
      canRemember: this.canRemember(),
      rememberedPasswordDropped: this.dropped,
    };
    if (this.session) {
      const s = this.session.engine.state();
      return {
        configured: true,
        protocol: protocolOf(this.db),
        serverUrl,
        username,
        online: s.online,
        running: s.running,
        lastSyncAt: s.lastSyncAt,
        lastError: s.lastError,
        pendingOutbox: s.pendingOutbox,
        rejectedOutbox: s.rejectedOutbox,
        pendingIncoming: s.pendingIncoming,
        pendingRequests: s.pendingRequests,
        downloads: s.downloads,
        receivedElsewhere: s.receivedBy !== null,
        verifying: this.checks?.busy ?? false,
        storeMark: storeMark(this.db),
        ...credential,
      };
    }
    const count = (sql: string): number => this.db.prepare(sql).pluck().get() as number;
    return {
      configured: false,
      protocol: protocolOf(this.db),
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
      receivedElsewhere: false,
      verifying: this.checks?.busy ?? false,
      storeMark: storeMark(this.db),
      ...credential,
    };
  }

  async syncNow() {
    const engine = this.session?.engine;
    if (!engine) throw new AppError('SETUP_REQUIRED', 'No server is configured for sync', { reason: 'SYNC_NOT_CONFIGURED' });
    const report = await engine.syncOnce();
    // Also after a round that failed part way: what it committed is checked now.
    void this.checks?.request();
    return { ok: report.ok, received: report.received, sent: report.sent, rejected: report.rejected, error: report.error, state: this.state() };
  }

  /** Connectivity came back (Electron `online`): a round starts now. */
  notifyOnline(): void {
    this.session?.engine.notifyOnline();
  }

  /** Starts a round in the background (after a send, so the package leaves at once). */
  kick(): void {
    if (this.session) void this.session.engine.syncOnce().catch(() => undefined);
  }

  /** Stops the timer, lets a running round finish (bounded), forgets the password in memory (the remembered one stays). */
  async stop(waitMs = 5000): Promise<void> {
    const session = this.session;
    this.session = null;
    // (marks the checks stopped at once: `close` closes the store right after calling this)
    const checks = this.checks?.stop(waitMs);
    if (!session) return checks;
    session.secret.password = null;
    session.rememberPending = false;
    const engine = session.engine;
    engine.stop();
    if (engine.state().running) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([engine.syncOnce().catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      if (timer) clearTimeout(timer);
    }
    await checks;
  }

  /** `stop`, then the parse workers end (the store is closed next). */
  async close(waitMs = 5000): Promise<void> {
    await this.stop(waitMs);
    await this.pool.close();
  }
}

function protocolOf(db: Db): Protocol {
  return getState(db, protocolKey) === 'vdxp' ? 'vdxp' : 'reference';
}

/** The audit log's head: every change to a document moves it (received, verified, registered…). */
function storeMark(db: Db): string {
  return (cachedStatement(db, "SELECT value FROM settings WHERE key = 'audit_head'").pluck().get() as string | undefined) ?? '';
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
      'sync:forget': () => controller.forget(),
      'sync:refusals': () => listRefusals(db),
      'sync:retry': (input) => {
        retryRefusal(db, input.id);
        controller.kick();
        return listRefusals(db);
      },
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
