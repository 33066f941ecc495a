/**
 * Reference provincial document server: a real HTTP service on 127.0.0.1 with its
 * own SQLite store, standing in for the provincial platform (standards doc §3) in
 * development, demos and tests. Routes: see src-main/sync/wire.ts.
 *
 * Authorisation: every route but login needs a bearer token; an agency sees only
 * the packages it sent or that are addressed to it, and only its own feed and
 * registers. Inter-agency exchange and registers need the clerk (văn thư) role.
 *
 * Fault injection (tests only, off by default): latency, 5xx before or after the
 * work is done, connection resets, truncated bodies.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import fsp from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { parseAny } from '../src-main/edxml/index.js';
import { createLogger } from '../src-main/log.js';
import { cachedStatement } from '../src-main/store/statements.js';
import { agencyYear } from '../src-main/documents/time.js';
import type {
  DirectoryEntry,
  FeedEntry,
  FeedMutation,
  InboxEntry,
  LeaseInfo,
  LoginRequest,
  LoginResponse,
  Role,
  SendResponse,
} from '../src-main/sync/wire.js';
import { BlobStore, openServerDb, passwordMatches, tokenHash, type ServerDb } from './store.js';

const log = createLogger('server');
const maxPackageBytes = 100 * 1024 * 1024;
const maxJsonBytes = 4 * 1024 * 1024;
const tokenLifetimeMs = 8 * 3600 * 1000;

export interface Faults {
  /** Added before every response, in ms. */
  latencyMs?: number;
  /** Share of requests answered 500/503 (half before the work is done, half after). */
  errorRate?: number;
  /** Share of requests whose connection is destroyed (half before, half after the work). */
  resetRate?: number;
  /** Share of responses with a body cut in the middle (connection closed). */
  truncateRate?: number;
  /** Paths (prefix) exempt from faults. */
  exempt?: string[];
}

export interface ServerOptions {
  dataDir: string;
  port?: number;
  faults?: Faults;
  /** Token lifetime override (tests of the 401 refresh). */
  tokenLifetimeMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  db: ServerDb;
  faults: Faults;
  close(): Promise<void>;
  /** Counters for tests and benchmarks. */
  /** Counters for tests: requests, injected faults, downloads resumed with a Range. */
  stats: { requests: number; faultsInjected: number; resumedDownloads: number };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Caller {
  userId: number;
  username: string;
  agency: string;
  role: Role;
  pcId: string;
}

type Reply =
  | { status: number; json: unknown }
  | { status: number; file: string | null; bytes?: Buffer; start: number; end: number; total: number; sha256: string };

/** Packages up to this size (status messages, small documents) are kept in the database row. */
const inlineMaxBytes = 256 * 1024;

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const db = openServerDb(options.dataDir);
  /** Statements compiled once for the life of the server (compiling cost more than running them). */
  const sql = (text: string): ReturnType<typeof cachedStatement> => cachedStatement(db, text);
  const blobs = new BlobStore(path.join(options.dataDir, 'packages'));
  const faults: Faults = { ...(options.faults ?? {}) };
  const stats = { requests: 0, faultsInjected: 0, resumedDownloads: 0 };
  const lifetime = options.tokenLifetimeMs ?? tokenLifetimeMs;
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    stats.requests += 1;
    void handle(req, res).catch((error: unknown) => {
      log.error('unhandled', { message: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) writeJson(res, 500, { error: { code: 'INTERNAL', message: 'Internal error' } });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  function roll(rate: number | undefined): boolean {
    return rate !== undefined && rate > 0 && Math.random() < rate;
  }

  /**
   * Group commit: writes requested in the same turn of the event loop share one
   * transaction, so one WAL flush (synchronous = FULL) makes all of them durable before
   * any of them is answered. Each runs in its own savepoint: one that throws is rolled
   * back alone and answered with its error.
   */
  const commitQueue: Array<{ work: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }> = [];
  function durably<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      commitQueue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (commitQueue.length === 1) setImmediate(flushCommits);
    });
  }
  function flushCommits(): void {
    const batch = commitQueue.splice(0, 500);
    if (commitQueue.length > 0) setImmediate(flushCommits);
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    const started = performance.now();
    try {
      db.transaction(() => {
        for (const job of batch) {
          try {
            outcomes.push({ ok: true, value: db.transaction(job.work)() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      }).immediate();
    } catch (error) {
      for (const job of batch) job.reject(error);
      return;
    }
    log.debug('group commit', { writes: batch.length, ms: Math.round((performance.now() - started) * 10) / 10 });
    batch.forEach((job, i) => {
      const o = outcomes[i];
      if (o?.ok) job.resolve(o.value);
      else job.reject(o?.error);
    });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const exempt = (faults.exempt ?? []).some((p) => url.pathname.startsWith(p));
    if (!exempt && faults.latencyMs) await sleep(faults.latencyMs);
    // Faults before the work: the request has no effect.
    if (!exempt && roll((faults.resetRate ?? 0) / 2)) {
      stats.faultsInjected += 1;
      req.socket.destroy();
      return;
    }
    if (!exempt && roll((faults.errorRate ?? 0) / 2)) {
      stats.faultsInjected += 1;
      req.resume();
      writeJson(res, 503, { error: { code: 'UNAVAILABLE', message: 'Injected fault: service unavailable' } });
      return;
    }
    let reply: Reply;
    try {
      reply = await route(req, url);
    } catch (error) {
      if (error instanceof HttpError) reply = { status: error.status, json: { error: { code: error.code, message: error.message } } };
      else throw error;
    }
    // Faults after the work: the effect happened, the answer is lost.
    if (!exempt && roll((faults.resetRate ?? 0) / 2)) {
      stats.faultsInjected += 1;
      res.socket?.destroy();
      return;
    }
    if (!exempt && roll((faults.errorRate ?? 0) / 2)) {
      stats.faultsInjected += 1;
      writeJson(res, 500, { error: { code: 'INTERNAL', message: 'Injected fault: internal error after the work was done' } });
      return;
    }
    const truncate = !exempt && roll(faults.truncateRate);
    if (truncate) stats.faultsInjected += 1;
    if ('json' in reply) {
      const body = Buffer.from(JSON.stringify(reply.json));
      res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
      if (truncate) {
        res.write(body.subarray(0, Math.floor(body.length / 2)));
        setImmediate(() => res.destroy());
      } else res.end(body);
      return;
    }
    const length = reply.end - reply.start;
    const headers: http.OutgoingHttpHeaders = {
      'Content-Type': 'application/xml',
      'Content-Length': length,
      'Accept-Ranges': 'bytes',
      'X-Content-SHA256': reply.sha256,
      ETag: `"${reply.sha256}"`,
    };
    if (reply.status === 206) stats.resumedDownloads += 1;
    if (reply.status === 206) headers['Content-Range'] = `bytes ${reply.start}-${reply.end - 1}/${reply.total}`;
    res.writeHead(reply.status, headers);
    if (length === 0) {
      res.end();
      return;
    }
    if (reply.bytes) {
      const part = reply.bytes.subarray(reply.start, reply.end);
      if (truncate) {
        res.write(part.subarray(0, Math.floor(length / 2)));
        setImmediate(() => res.destroy());
      } else res.end(part);
      return;
    }
    const stream = fs.createReadStream(reply.file ?? '', {
      start: reply.start,
      end: truncate ? reply.start + Math.max(0, Math.floor(length / 2) - 1) : reply.end - 1,
    });
    try {
      await pipeline(stream, res, { end: !truncate });
    } catch {
      res.destroy();
      return;
    }
    if (truncate) res.destroy();
  }

  function authenticate(req: http.IncomingMessage): Caller {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header);
    if (!m?.[1]) throw new HttpError(401, 'UNAUTHORIZED', 'Missing bearer token');
    const row = sql(
        `SELECT u.id, u.username, u.agency_code, u.role, t.pc_id, t.expires_at FROM tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = ?`,
      )
      .get(tokenHash(m[1])) as { id: number; username: string; agency_code: string; role: Role; pc_id: string; expires_at: number } | undefined;
    if (!row || row.expires_at < Date.now()) throw new HttpError(401, 'UNAUTHORIZED', 'Token unknown or expired');
    return { userId: row.id, username: row.username, agency: row.agency_code, role: row.role, pcId: row.pc_id };
  }

  function requireClerk(caller: Caller): void {
    if (caller.role !== 'clerk') throw new HttpError(403, 'FORBIDDEN', 'Only the văn thư (clerk) role may exchange documents and number registers');
  }

  async function route(req: http.IncomingMessage, url: URL): Promise<Reply> {
    const method = req.method ?? 'GET';
    const p = url.pathname;
    if (method === 'POST' && p === '/v1/auth/login') return login(await readJson<LoginRequest>(req));
    if (method === 'GET' && p === '/v1/health') return { status: 200, json: { ok: true } };
    const caller = authenticate(req);
    if (method === 'GET' && p === '/v1/agencies') {
      const agencies = sql('SELECT code, name, parent FROM agencies ORDER BY code').all() as DirectoryEntry[];
      return { status: 200, json: { agencies } };
    }
    if (method === 'POST' && p === '/v1/packages') {
      requireClerk(caller);
      return receivePackage(req, caller);
    }
    if (method === 'POST' && p === '/v1/packages/batch') {
      requireClerk(caller);
      return receiveBatch(caller, await readJson<{ packages?: unknown }>(req));
    }
    if (method === 'GET' && p === '/v1/inbox') {
      requireClerk(caller);
      return inbox(caller, url);
    }
    let m = /^\/v1\/packages\/(\d+)$/.exec(p);
    if (method === 'GET' && m?.[1]) {
      requireClerk(caller);
      return download(caller, Number(m[1]), req.headers.range);
    }
    if (method === 'POST' && p === '/v1/inbox/ack') {
      requireClerk(caller);
      return ackMany(caller, await readJson<{ acks: Array<{ deliveryId: number; result: string; reason?: string }> }>(req));
    }
    m = /^\/v1\/inbox\/(\d+)\/ack$/.exec(p);
    if (method === 'POST' && m?.[1]) {
      requireClerk(caller);
      return ack(caller, Number(m[1]), await readJson<{ result: string; reason?: string }>(req));
    }
    if (method === 'POST' && p === '/v1/feed') return feedPush(caller, await readJson<{ mutations: FeedMutation[] }>(req));
    if (method === 'GET' && p === '/v1/feed') return feedPull(caller, url);
    if (method === 'GET' && p === '/v1/registers') {
      const leases = sql('SELECT year, series, holder_pc AS holder, last_number AS lastNumber FROM register_series WHERE agency_code = ?')
        .all(caller.agency) as LeaseInfo[];
      return { status: 200, json: { leases } };
    }
    m = /^\/v1\/registers\/(acquire|release|number|report)$/.exec(p);
    if (method === 'POST' && m?.[1]) {
      requireClerk(caller);
      return registers(caller, m[1], await readJson<Record<string, unknown>>(req));
    }
    throw new HttpError(404, 'NOT_FOUND', `No route ${method} ${p}`);
  }

  function login(body: LoginRequest): Reply {
    if (typeof body.agency !== 'string' || typeof body.username !== 'string' || typeof body.password !== 'string' || typeof body.pcId !== 'string') {
      throw new HttpError(400, 'INVALID_INPUT', 'agency, username, password and pcId are required');
    }
    if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(body.pcId)) throw new HttpError(400, 'INVALID_INPUT', 'Bad pcId');
    const user = sql(
        `SELECT u.id, u.username, u.full_name, u.role, u.salt, u.password_hash, a.code, a.name FROM users u
         JOIN agencies a ON a.code = u.agency_code WHERE u.agency_code = ? AND u.username = ?`,
      )
      .get(body.agency, body.username) as
      | { id: number; username: string; full_name: string; role: Role; salt: string; password_hash: string; code: string; name: string }
      | undefined;
    if (!user || !passwordMatches(body.password, user.salt, user.password_hash)) {
      log.warn('login refused', { agency: body.agency, username: body.username });
      throw new HttpError(401, 'BAD_CREDENTIALS', 'Unknown user or wrong password');
    }
    const token = crypto.randomBytes(32).toString('base64url');
    const expires = Date.now() + lifetime;
    sql('DELETE FROM tokens WHERE expires_at < ?').run(Date.now());
    sql('INSERT INTO tokens (token_hash, user_id, pc_id, expires_at) VALUES (?, ?, ?, ?)').run(tokenHash(token), user.id, body.pcId, expires);
    const response: LoginResponse = {
      token,
      expiresAt: new Date(expires).toISOString(),
      agency: { code: user.code, name: user.name },
      user: { username: user.username, fullName: user.full_name, role: user.role },
    };
    return { status: 200, json: response };
  }

  async function receivePackage(req: http.IncomingMessage, caller: Caller): Promise<Reply> {
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(key)) {
      req.resume();
      throw new HttpError(400, 'INVALID_INPUT', 'Idempotency-Key header is required');
    }
    const replay = sql('SELECT status, response FROM idempotency WHERE agency_code = ? AND key = ?').get(caller.agency, key) as
      | { status: number; response: string }
      | undefined;
    if (replay) {
      req.resume();
      return { status: replay.status, json: JSON.parse(replay.response) as unknown };
    }
    const declared = req.headers['x-content-sha256'];
    const tmp = blobs.tempPath();
    const hash = crypto.createHash('sha256');
    let size = 0;
    // Small packages stay in memory and go into the database row (no file, no extra flush);
    // larger ones are streamed to a temporary file, fsynced, and renamed under their hash.
    const chunks: Buffer[] = [];
    let out: fsp.FileHandle | null = null;
    try {
      try {
        for await (const chunk of req as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > maxPackageBytes) throw new HttpError(413, 'FILE_TOO_LARGE', `Package larger than ${maxPackageBytes} bytes`);
          hash.update(chunk);
          if (out) await out.write(chunk);
          else {
            chunks.push(chunk);
            if (size > inlineMaxBytes) {
              out = await fsp.open(tmp, 'wx');
              for (const c of chunks.splice(0)) await out.write(c);
            }
          }
        }
        if (!req.complete) throw new Error('aborted');
        if (out) await out.sync();
      } finally {
        await out?.close();
      }
    } catch (error) {
      fs.rmSync(tmp, { force: true });
      if (error instanceof HttpError) throw error;
      throw new HttpError(400, 'INCOMPLETE_BODY', 'The request body was not received completely');
    }
    const inline = out === null ? Buffer.concat(chunks) : null;
    const sha256 = hash.digest('hex');
    if (typeof declared === 'string' && declared !== sha256) {
      fs.rmSync(tmp, { force: true });
      throw new HttpError(400, 'CHECKSUM_MISMATCH', 'The body does not match X-Content-SHA256 (truncated upload?)');
    }
    return admit(caller, key, inline, tmp, size, sha256);
  }

  /**
   * Several small packages (status messages above all) in one request: each is checked
   * and answered as if it came alone, and their writes share one flush.
   * Body: { packages: [{ idempotencyKey, sha256, content (Base64) }] }, 500 at most.
   */
  async function receiveBatch(caller: Caller, body: { packages?: unknown }): Promise<Reply> {
    if (!Array.isArray(body.packages) || body.packages.length > 500) throw new HttpError(400, 'INVALID_INPUT', 'packages: an array of at most 500');
    const answers = body.packages.map(async (item: unknown): Promise<{ status: number; json: unknown }> => {
      try {
        const { idempotencyKey: key, sha256, content } = (item ?? {}) as Record<string, unknown>;
        if (typeof key !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(key)) throw new HttpError(400, 'INVALID_INPUT', 'idempotencyKey is required');
        if (typeof content !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(content)) throw new HttpError(400, 'INVALID_INPUT', 'content must be Base64');
        const bytes = Buffer.from(content, 'base64');
        if (bytes.length > inlineMaxBytes) throw new HttpError(413, 'FILE_TOO_LARGE', `A package in a batch may hold ${inlineMaxBytes} bytes at most`);
        const digest = crypto.createHash('sha256').update(bytes).digest('hex');
        if (typeof sha256 === 'string' && sha256 !== digest) throw new HttpError(400, 'CHECKSUM_MISMATCH', 'The content does not match its sha256');
        const replay = sql('SELECT status, response FROM idempotency WHERE agency_code = ? AND key = ?').get(caller.agency, key) as
          | { status: number; response: string }
          | undefined;
        if (replay) return { status: replay.status, json: JSON.parse(replay.response) as unknown };
        const reply = await admit(caller, key, bytes, '', bytes.length, digest);
        return { status: reply.status, json: 'json' in reply ? reply.json : null };
      } catch (error) {
        if (error instanceof HttpError) return { status: error.status, json: { error: { code: error.code, message: error.message } } };
        throw error;
      }
    });
    return { status: 200, json: { results: await Promise.all(answers) } };
  }

  /** Checks a received package (in memory, or in the temporary file `tmp`), routes it and records it durably. */
  async function admit(caller: Caller, key: string, inline: Buffer | null, tmp: string, size: number, sha256: string): Promise<Reply> {
    const discard = (): void => {
      if (!inline) fs.rmSync(tmp, { force: true });
    };
    let parsed;
    try {
      parsed = parseAny(inline ?? fs.readFileSync(tmp));
    } catch (error) {
      discard();
      throw new HttpError(422, 'INVALID_EDXML', `Not a valid edXML package: ${error instanceof Error ? error.message : String(error)}`);
    }
    const now = new Date().toISOString();
    let plan: { kind: 'edoc' | 'status'; businessType: number; documentId: string; about: string | null; statusCode: string | null; recipients: string[] };
    if (parsed.kind === 'document') {
      const h = parsed.document.header;
      if (h.from.organId !== caller.agency) {
        discard();
        throw new HttpError(403, 'FORBIDDEN', `From/OrganId ${h.from.organId} is not the agency of this login (${caller.agency})`);
      }
      const business = parsed.document.traceHeaderList.business;
      const businessType = business?.docType ?? 0;
      const recipients = h.to.map((t) => t.organId);
      for (const r of recipients) {
        if (!sql('SELECT 1 FROM agencies WHERE code = ?').get(r)) {
          discard();
          throw new HttpError(422, 'UNKNOWN_RECIPIENT', `Recipient ${r} is not in the directory`);
        }
        if (r === caller.agency) {
          discard();
          throw new HttpError(422, 'INVALID_INPUT', 'An agency cannot send a document to itself');
        }
      }
      let about: string | null = null;
      if (businessType === 1 || businessType === 2) {
        about = business?.documentId ?? h.documentId;
        const original = sql("SELECT id FROM packages WHERE sender_code = ? AND document_id = ? AND kind = 'edoc' AND business_type IN (0, 3)")
          .get(caller.agency, about);
        if (!original) {
          discard();
          throw new HttpError(404, 'NOT_FOUND', `No document ${about} sent by ${caller.agency} to recall or update`);
        }
      }
      plan = { kind: 'edoc', businessType, documentId: h.documentId, about, statusCode: null, recipients };
    } else {
      const s = parsed.status;
      if (s.from.organId !== caller.agency) {
        discard();
        throw new HttpError(403, 'FORBIDDEN', `Status From/OrganId ${s.from.organId} is not the agency of this login (${caller.agency})`);
      }
      const original = sql("SELECT id, sender_code FROM packages WHERE document_id = ? AND sender_code = ? AND kind = 'edoc' AND business_type IN (0, 3)")
        .get(s.responseFor.documentId, s.responseFor.organId) as { id: number; sender_code: string } | undefined;
      const wasRecipient =
        original !== undefined &&
        sql('SELECT 1 FROM deliveries WHERE package_id = ? AND recipient_code = ?').get(original.id, caller.agency) !== undefined;
      if (!original || (!wasRecipient && original.sender_code !== caller.agency)) {
        discard();
        throw new HttpError(404, 'NOT_FOUND', `No document ${s.responseFor.documentId} addressed to ${caller.agency}`);
      }
      const recipients =
        original.sender_code === caller.agency
          ? (sql('SELECT recipient_code FROM deliveries WHERE package_id = ?').pluck().all(original.id) as string[])
          : [original.sender_code];
      plan = { kind: 'status', businessType: 0, documentId: s.responseFor.documentId, about: s.responseFor.documentId, statusCode: s.statusCode, recipients };
    }
    if (!inline) await blobs.adoptDurably(tmp, sha256);
    const result = await durably((): { status: number; body: SendResponse | { error: { code: string; message: string } } } => {
        const again = sql('SELECT status, response FROM idempotency WHERE agency_code = ? AND key = ?').get(caller.agency, key) as
          | { status: number; response: string }
          | undefined;
        if (again) return { status: again.status, body: JSON.parse(again.response) as SendResponse };
        let status = 200;
        let body: SendResponse | { error: { code: string; message: string } };
        const exists =
          plan.kind === 'edoc' && (plan.businessType === 0 || plan.businessType === 3)
            ? (sql("SELECT id, sha256 FROM packages WHERE sender_code = ? AND document_id = ? AND kind = 'edoc' AND business_type = 0")
                .get(caller.agency, plan.documentId) as { id: number; sha256: string } | undefined)
            : undefined;
        if (exists) {
          status = 409;
          body = { error: { code: 'DUPLICATE_DOCUMENT', message: `Document ${plan.documentId} was already sent by ${caller.agency}` } };
        } else {
          const packageId = Number(
            sql(
                `INSERT INTO packages (sender_code, kind, business_type, document_id, about_document_id, status_code, size, sha256, created_at, content)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
              )
              .run(caller.agency, plan.kind, plan.businessType, plan.documentId, plan.about, plan.statusCode, size, sha256, now, inline).lastInsertRowid,
          );
          const deliver = sql('INSERT INTO deliveries (package_id, recipient_code) VALUES (?, ?)');
          for (const r of plan.recipients) deliver.run(packageId, r);
          body = { packageId, documentId: plan.documentId, recipients: plan.recipients, duplicate: false };
        }
        sql('INSERT INTO idempotency (agency_code, key, status, response) VALUES (?, ?, ?, ?)').run(caller.agency, key, status, JSON.stringify(body));
        return { status, body };
      });
    return { status: result.status, json: result.body };
  }

  /**
   * The agency's inbox goes to one PC: the holder of the lease on its ordinary incoming
   * register ('in') of the current year, where the văn thư gives số đến. Another PC gets an
   * empty page naming the holder, so two PCs never take the same delivery. With no holder
   * (a transfer under way), any clerk PC receives.
   */
  function inbox(caller: Caller, url: URL): Reply {
    const after = intParam(url, 'after', 0);
    const limit = Math.min(intParam(url, 'limit', 100), 500);
    const holder = sql("SELECT holder_pc FROM register_series WHERE agency_code = ? AND year = ? AND series = 'in'")
      .pluck()
      .get(caller.agency, agencyYear(new Date())) as string | null | undefined;
    if (holder && holder !== caller.pcId) return { status: 200, json: { items: [], cursor: after, receivedBy: holder } };
    const items = sql(
        `SELECT d.id AS deliveryId, p.id AS packageId, p.kind, p.business_type AS businessType, p.document_id AS documentId,
                p.sender_code AS "from", p.size, p.sha256, p.created_at AS createdAt
         FROM deliveries d JOIN packages p ON p.id = d.package_id
         WHERE d.recipient_code = ? AND d.state = 'pending' AND d.id > ? ORDER BY d.id LIMIT ?`,
      )
      .all(caller.agency, after, limit) as InboxEntry[];
    return { status: 200, json: { items, cursor: items.at(-1)?.deliveryId ?? after, receivedBy: null } };
  }

  function download(caller: Caller, packageId: number, range: string | undefined): Reply {
    const pkg = sql(
        `SELECT p.id, p.size, p.sha256, p.content FROM packages p WHERE p.id = ? AND (p.sender_code = ? OR EXISTS
           (SELECT 1 FROM deliveries d WHERE d.package_id = p.id AND d.recipient_code = ?))`,
      )
      .get(packageId, caller.agency, caller.agency) as { id: number; size: number; sha256: string; content: Buffer | null } | undefined;
    // Not addressed to the caller: answered like a missing package, so that existence does not leak.
    if (!pkg) throw new HttpError(404, 'NOT_FOUND', 'No such package for this agency');
    const file = pkg.content ? null : blobs.pathOf(pkg.sha256);
    let start = 0;
    if (range) {
      const m = /^bytes=(\d+)-$/.exec(range);
      if (!m?.[1]) throw new HttpError(416, 'BAD_RANGE', 'Only "bytes=N-" ranges are supported');
      start = Number(m[1]);
      if (start > pkg.size) throw new HttpError(416, 'BAD_RANGE', 'Range starts after the end of the package');
    }
    return { status: range ? 206 : 200, file, bytes: pkg.content ?? undefined, start, end: pkg.size, total: pkg.size, sha256: pkg.sha256 };
  }

  /** Applies one transport ack (idempotent); throws HttpError. Runs inside a transaction. */
  function applyAck(caller: Caller, deliveryId: number, body: { result: string; reason?: string }): { deliveryId: number; state: string } {
    if (body.result !== 'done' && body.result !== 'fail') throw new HttpError(400, 'INVALID_INPUT', 'result must be done or fail');
    const row = sql('SELECT state FROM deliveries WHERE id = ? AND recipient_code = ?').get(deliveryId, caller.agency) as
      | { state: string }
      | undefined;
    if (!row) throw new HttpError(404, 'NOT_FOUND', 'No such delivery for this agency');
    if (row.state === 'pending') {
      sql("UPDATE deliveries SET state = ?, reason = ?, acked_at = ? WHERE id = ? AND state = 'pending'").run(
        body.result,
        typeof body.reason === 'string' ? body.reason.slice(0, 2000) : null,
        new Date().toISOString(),
        deliveryId,
      );
    }
    return { deliveryId, state: row.state === 'pending' ? body.result : row.state };
  }

  async function ack(caller: Caller, deliveryId: number, body: { result: string; reason?: string }): Promise<Reply> {
    return { status: 200, json: await durably(() => applyAck(caller, deliveryId, body)) };
  }

  /** Several acks in one request and one flush; each answered on its own. */
  async function ackMany(caller: Caller, body: { acks: Array<{ deliveryId: number; result: string; reason?: string }> }): Promise<Reply> {
    if (!Array.isArray(body.acks) || body.acks.length > 500) throw new HttpError(400, 'INVALID_INPUT', 'acks: an array of at most 500');
    const results = await durably(() =>
      body.acks.map((a) => {
        if (typeof a !== 'object' || a === null || !Number.isSafeInteger(a.deliveryId)) return { deliveryId: null, error: { code: 'INVALID_INPUT', message: 'deliveryId must be an integer' } };
        try {
          return db.transaction(() => applyAck(caller, a.deliveryId, a))();
        } catch (error) {
          if (error instanceof HttpError) return { deliveryId: a.deliveryId, error: { code: error.code, message: error.message } };
          throw error;
        }
      }),
    );
    return { status: 200, json: { results } };
  }

  function feedPush(caller: Caller, body: { mutations: FeedMutation[] }): Reply {
    if (!Array.isArray(body.mutations) || body.mutations.length > 500) throw new HttpError(400, 'INVALID_INPUT', 'mutations: an array of at most 500');
    const insert = sql(
      `INSERT INTO feed (agency_code, client_key, pc_id, username, entity, entity_key, op, payload, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(agency_code, client_key) DO NOTHING`,
    );
    const seqOf = sql('SELECT seq FROM feed WHERE agency_code = ? AND client_key = ?').pluck();
    const results = db
      .transaction(() =>
        body.mutations.map((m) => {
          if (typeof m.key !== 'string' || typeof m.entity !== 'string' || typeof m.entityKey !== 'string' || typeof m.op !== 'string') {
            throw new HttpError(400, 'INVALID_INPUT', 'Each mutation needs key, entity, entityKey and op');
          }
          insert.run(caller.agency, m.key, caller.pcId, caller.username, m.entity, m.entityKey, m.op, JSON.stringify(m.payload ?? null), new Date().toISOString());
          return { key: m.key, seq: seqOf.get(caller.agency, m.key) as number };
        }),
      )
      .immediate();
    return { status: 200, json: { results } };
  }

  function feedPull(caller: Caller, url: URL): Reply {
    const after = intParam(url, 'after', 0);
    const limit = Math.min(intParam(url, 'limit', 200), 1000);
    const rows = sql(
        `SELECT seq, pc_id AS pcId, username, entity, entity_key AS entityKey, op, payload, at FROM feed
         WHERE agency_code = ? AND seq > ? ORDER BY seq LIMIT ?`,
      )
      .all(caller.agency, after, limit) as Array<Omit<FeedEntry, 'payload'> & { payload: string }>;
    const items: FeedEntry[] = rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown }));
    return { status: 200, json: { items, cursor: items.at(-1)?.seq ?? after } };
  }

  function registers(caller: Caller, action: string, body: Record<string, unknown>): Reply {
    const year = body['year'];
    const series = body['series'];
    if (typeof year !== 'number' || !Number.isInteger(year) || typeof series !== 'string' || !/^[\w:-]{1,40}$/.test(series)) {
      throw new HttpError(400, 'INVALID_INPUT', 'year (integer) and series are required');
    }
    return db
      .transaction((): Reply => {
        sql('INSERT INTO register_series (agency_code, year, series) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(caller.agency, year, series);
        const row = sql('SELECT holder_pc, last_number FROM register_series WHERE agency_code = ? AND year = ? AND series = ?')
          .get(caller.agency, year, series) as { holder_pc: string | null; last_number: number };
        const info = (): LeaseInfo => {
          const r = sql('SELECT holder_pc, last_number FROM register_series WHERE agency_code = ? AND year = ? AND series = ?')
            .get(caller.agency, year, series) as { holder_pc: string | null; last_number: number };
          return { year, series, holder: r.holder_pc, lastNumber: r.last_number };
        };
        const setSeries = sql('UPDATE register_series SET holder_pc = ?, last_number = ? WHERE agency_code = ? AND year = ? AND series = ?');
        if (action === 'acquire') {
          if (row.holder_pc !== null && row.holder_pc !== caller.pcId) {
            throw new HttpError(409, 'LEASE_HELD', `Series ${series}/${year} is leased to another PC; it must sync and release first`);
          }
          setSeries.run(caller.pcId, row.last_number, caller.agency, year, series);
          return { status: 200, json: info() };
        }
        if (action === 'release') {
          if (row.holder_pc !== caller.pcId) throw new HttpError(409, 'NOT_HOLDER', 'This PC does not hold the lease');
          const last = body['lastNumber'];
          if (typeof last !== 'number' || !Number.isInteger(last) || last < row.last_number) {
            throw new HttpError(409, 'NUMBERS_NOT_REPORTED', `lastNumber must be at least ${row.last_number}`);
          }
          const reported = sql('SELECT count(*) FROM register_numbers WHERE agency_code = ? AND year = ? AND series = ? AND number <= ?')
            .pluck()
            .get(caller.agency, year, series, last) as number;
          if (reported !== last) throw new HttpError(409, 'NUMBERS_NOT_REPORTED', `Report every number up to ${last} before releasing`);
          setSeries.run(null, last, caller.agency, year, series);
          return { status: 200, json: info() };
        }
        if (action === 'number') {
          const key = body['key'];
          if (typeof key !== 'string' || key.length === 0 || key.length > 200) throw new HttpError(400, 'INVALID_INPUT', 'key is required');
          const known = sql('SELECT number FROM register_numbers WHERE agency_code = ? AND year = ? AND series = ? AND ref = ?')
            .pluck()
            .get(caller.agency, year, series, key) as number | undefined;
          if (known !== undefined) return { status: 200, json: { number: known } };
          if (row.holder_pc !== null) {
            throw new HttpError(409, 'LEASE_HELD', `Series ${series}/${year} is numbered by the PC holding its lease, not by the server`);
          }
          const next = row.last_number + 1;
          sql('INSERT INTO register_numbers (agency_code, year, series, number, pc_id, ref) VALUES (?, ?, ?, ?, ?, ?)').run(
            caller.agency,
            year,
            series,
            next,
            caller.pcId,
            key,
          );
          setSeries.run(null, next, caller.agency, year, series);
          return { status: 200, json: { number: next } };
        }
        // report
        if (row.holder_pc !== caller.pcId) throw new HttpError(409, 'NOT_HOLDER', 'Only the lease holder reports numbers');
        const numbers = body['numbers'];
        if (!Array.isArray(numbers)) throw new HttpError(400, 'INVALID_INPUT', 'numbers must be an array');
        let last = row.last_number;
        for (const n of numbers as Array<{ number: unknown; ref: unknown }>) {
          if (typeof n.number !== 'number' || !Number.isInteger(n.number) || typeof n.ref !== 'string') throw new HttpError(400, 'INVALID_INPUT', 'bad number');
          const existing = sql('SELECT ref FROM register_numbers WHERE agency_code = ? AND year = ? AND series = ? AND number = ?')
            .pluck()
            .get(caller.agency, year, series, n.number) as string | undefined;
          if (existing !== undefined && existing !== n.ref) throw new HttpError(409, 'NUMBER_TAKEN', `Number ${n.number} is already used by ${existing}`);
          if (existing === undefined) {
            sql('INSERT INTO register_numbers (agency_code, year, series, number, pc_id, ref) VALUES (?, ?, ?, ?, ?, ?)').run(
              caller.agency,
              year,
              series,
              n.number,
              caller.pcId,
              n.ref,
            );
          }
          last = Math.max(last, n.number);
        }
        setSeries.run(caller.pcId, last, caller.agency, year, series);
        return { status: 200, json: info() };
      })
      .immediate();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log.info('listening', { port });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    db,
    faults,
    stats,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      db.close();
    },
  };
}

function writeJson(res: http.ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': bytes.length });
  res.end(bytes);
}

async function readJson<T>(req: http.IncomingMessage): Promise<T> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxJsonBytes) throw new HttpError(413, 'FILE_TOO_LARGE', 'JSON body too large');
    chunks.push(chunk);
  }
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (typeof value !== 'object' || value === null) throw new Error('not an object');
    return value as T;
  } catch {
    throw new HttpError(400, 'INVALID_INPUT', 'Body is not a JSON object');
  }
}

function intParam(url: URL, name: string, fallback: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new HttpError(400, 'INVALID_INPUT', `${name} must be a non-negative integer`);
  return n;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
