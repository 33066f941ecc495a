/**
 * Transport adapter for the reference provincial server (src-server; routes in
 * wire.ts): bearer token from a login with agency code, user name and password. The
 * password is asked from `credentials()` when a login is needed and never stored or
 * logged here; the token is kept in memory only.
 */
import crypto from 'node:crypto';
import type { DirectoryEntry, FeedEntry, FeedMutation, InboxEntry, LeaseInfo, LoginResponse, SendResponse } from './wire.js';
import {
  TransportError,
  type AgencyRecordsTransport,
  type DownloadStream,
  type InboxItem,
  type InboxPage,
  type SendResult,
  type SyncTransport,
} from './transport.js';
import { fetchOrNetworkError, readJson } from './http.js';

export interface ReferenceCredentials {
  agency: string;
  username: string;
  password: string;
}

export interface ReferenceTransportOptions {
  baseUrl: string;
  pcId: string;
  credentials: () => ReferenceCredentials | Promise<ReferenceCredentials>;
  /** Per-request timeout for JSON calls (ms). */
  timeoutMs?: number;
  /** Idle timeout while a download streams (ms). */
  downloadIdleMs?: number;
}

export class ReferenceTransport implements SyncTransport {
  readonly name = 'reference';
  private token: string | null = null;
  private readonly base: string;
  session: LoginResponse | null = null;
  readonly records: AgencyRecordsTransport;

  constructor(private readonly options: ReferenceTransportOptions) {
    const url = new URL(options.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TransportError('rejected', 'Server URL must be http(s)');
    this.base = url.toString().replace(/\/$/, '');
    const self = { json: <T>(method: string, path: string, body?: unknown): Promise<T> => this.json<T>(method, path, body) };
    this.records = {
      pushFeed: async (mutations: FeedMutation[]) =>
        (await self.json<{ results: Array<{ key: string; seq: number }> }>('POST', '/v1/feed', { mutations })).results,
      pullFeed: (cursor: number, limit: number) =>
        self.json<{ items: FeedEntry[]; cursor: number }>('GET', `/v1/feed?after=${cursor}&limit=${limit}`),
      leases: async () => (await self.json<{ leases: LeaseInfo[] }>('GET', '/v1/registers')).leases,
      acquireLease: (year: number, series: string) => self.json<LeaseInfo>('POST', '/v1/registers/acquire', { year, series }),
      releaseLease: (year: number, series: string, lastNumber: number) =>
        self.json<LeaseInfo>('POST', '/v1/registers/release', { year, series, lastNumber }),
      reportNumbers: (year: number, series: string, numbers: Array<{ number: number; ref: string }>) =>
        self.json<LeaseInfo>('POST', '/v1/registers/report', { year, series, numbers }),
      serverNumber: async (year: number, series: string, key: string) =>
        (await self.json<{ number: number }>('POST', '/v1/registers/number', { year, series, key })).number,
    };
  }

  async login(): Promise<void> {
    const c = await this.options.credentials();
    this.token = null;
    const res = await this.request('POST', '/v1/auth/login', JSON.stringify({ ...c, pcId: this.options.pcId }), { 'Content-Type': 'application/json' }, false);
    this.session = await readJson<LoginResponse>(res);
    this.token = this.session.token;
  }

  async listInbox(cursor: string | null, limit: number): Promise<InboxPage> {
    const after = cursor === null ? 0 : Number(cursor);
    const page = await this.json<{ items: InboxEntry[]; cursor: number; receivedBy?: string | null }>('GET', `/v1/inbox?after=${after}&limit=${limit}`);
    return {
      items: page.items.map((e) => ({
        key: String(e.deliveryId),
        packageRef: String(e.packageId),
        kind: e.kind,
        businessType: e.businessType,
        documentId: e.documentId,
        from: e.from,
        size: e.size,
        sha256: e.sha256,
      })),
      cursor: String(page.cursor),
      receivedBy: page.receivedBy ?? null,
    };
  }

  async openDownload(item: InboxItem, offset: number, signal?: AbortSignal): Promise<DownloadStream> {
    const headers: Record<string, string> = offset > 0 ? { Range: `bytes=${offset}-` } : {};
    const res = await this.authed('GET', `/v1/packages/${encodeURIComponent(item.packageRef)}`, undefined, headers, signal, this.options.downloadIdleMs ?? 120_000);
    const start = res.status === 206 ? offset : 0;
    const length = Number(res.headers.get('content-length') ?? NaN);
    const body = res.body;
    if (!body) throw new TransportError('network', 'Download has no body');
    return {
      offset: start,
      total: Number.isFinite(length) ? start + length : null,
      body: body as unknown as AsyncIterable<Uint8Array>,
    };
  }

  async ack(item: InboxItem, result: 'done' | 'fail', reason?: string): Promise<void> {
    await this.json('POST', `/v1/inbox/${encodeURIComponent(item.key)}/ack`, { result, reason });
  }

  async ackMany(acks: Array<{ item: InboxItem; result: 'done' | 'fail'; reason?: string }>): Promise<Array<TransportError | null>> {
    const { results } = await this.json<{ results: Array<{ deliveryId: number | null; error?: { code: string; message: string } }> }>('POST', '/v1/inbox/ack', {
      acks: acks.map((a) => ({ deliveryId: Number(a.item.key), result: a.result, reason: a.reason })),
    });
    if (!Array.isArray(results) || results.length !== acks.length) throw new TransportError('network', 'Ack answer does not match the request');
    return results.map((r) => (r.error ? new TransportError('rejected', r.error.message, 404, r.error.code) : null));
  }

  async send(bytes: Uint8Array, options: { kind: 'edoc' | 'status'; idempotencyKey: string }): Promise<SendResult> {
    const res = await this.authed('POST', '/v1/packages', bytes, {
      'Content-Type': 'application/xml',
      'Idempotency-Key': wireKey(options.idempotencyKey),
      'X-Content-SHA256': sha256Of(bytes),
    });
    const body = await readJson<SendResponse>(res);
    return { remoteId: String(body.packageId) };
  }

  async sendMany(packages: Array<{ bytes: Uint8Array; kind: 'edoc' | 'status'; idempotencyKey: string }>): Promise<Array<TransportError | null>> {
    const { results } = await this.json<{ results: Array<{ status: number; json: { error?: { code?: string; message?: string } } | null }> }>(
      'POST',
      '/v1/packages/batch',
      {
        packages: packages.map((p) => ({
          idempotencyKey: wireKey(p.idempotencyKey),
          sha256: sha256Of(p.bytes),
          content: Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength).toString('base64'),
        })),
      },
    );
    if (!Array.isArray(results) || results.length !== packages.length) throw new TransportError('network', 'Batch answer does not match the request');
    const failed = results.find((r) => r.status >= 500);
    if (failed) throw new TransportError('server', failed.json?.error?.message ?? `HTTP ${failed.status}`, failed.status, failed.json?.error?.code);
    return results.map((r) =>
      r.status < 300 ? null : new TransportError(r.status === 401 ? 'unauthorized' : 'rejected', r.json?.error?.message ?? `HTTP ${r.status}`, r.status, r.json?.error?.code),
    );
  }

  async directory(): Promise<DirectoryEntry[]> {
    return (await this.json<{ agencies: DirectoryEntry[] }>('GET', '/v1/agencies')).agencies;
  }

  // ---- plumbing ----

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.authed(method, path, body === undefined ? undefined : JSON.stringify(body), body === undefined ? {} : { 'Content-Type': 'application/json' });
    return readJson<T>(res);
  }

  private async authed(
    method: string,
    path: string,
    body: string | Uint8Array | undefined,
    headers: Record<string, string>,
    signal?: AbortSignal,
    timeoutMs?: number,
  ): Promise<Response> {
    if (this.token === null) await this.login();
    return this.request(method, path, body, { ...headers, Authorization: `Bearer ${this.token ?? ''}` }, true, signal, timeoutMs);
  }

  private async request(
    method: string,
    path: string,
    body: string | Uint8Array | undefined,
    headers: Record<string, string>,
    authed: boolean,
    signal?: AbortSignal,
    timeoutMs?: number,
  ): Promise<Response> {
    const res = await fetchOrNetworkError(this.base + path, {
      method,
      headers,
      body: body as string | Buffer | undefined,
      signal,
      timeoutMs: timeoutMs ?? this.options.timeoutMs ?? 30_000,
    });
    if (res.ok) return res;
    let code: string | undefined;
    let message = `HTTP ${res.status}`;
    try {
      const parsed = (await res.json()) as { error?: { code?: string; message?: string } };
      code = parsed.error?.code;
      if (parsed.error?.message) message = parsed.error.message;
    } catch {
      // body unreadable: keep the status line
    }
    if (res.status === 401) {
      if (authed) this.token = null;
      throw new TransportError(authed ? 'unauthorized' : 'rejected', message, 401, code);
    }
    if (res.status >= 500) throw new TransportError('server', message, res.status, code);
    throw new TransportError('rejected', message, res.status, code);
  }
}

function sha256Of(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** Keys travel in a Latin-1 header: those holding Vietnamese ký hiệu are sent as their hash (the same in a batch, so a retry by either route replays). */
function wireKey(key: string): string {
  return /^[\x21-\x7e]{1,200}$/.test(key) ? key : `sha256-${sha256Of(Buffer.from(key, 'utf8'))}`;
}
