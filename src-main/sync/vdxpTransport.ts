/**
 * Transport adapter for the national axis (VDXP) and the provincial platforms that front it
 * with the same API, as VNPT's SDK speaks it (standards doc §3.2–3.3): every request carries
 * its parameters as `XroadVnpt-<name>` headers, signed together by an HMAC-SHA256 with the
 * agency's secret; there is no login, no cursor (the axis lists what is still pending, and
 * the transport ack `updateStatus` removes an item), no resumable download (`getEdoc`
 * answers the whole package in Base64), and no agency records (change feed, register
 * leases): the engine works without them. `login` only checks the secret with a signed
 * call. The secret is never logged or sent.
 *
 * Not covered by the axis: idempotency of `sendEdoc` — a retry after a lost answer may
 * deliver twice; recipients dedupe by the edXML DocumentId (an incoming package already
 * received is acknowledged, not registered again).
 */
import crypto from 'node:crypto';
import { fetchOrNetworkError, readJson } from './http.js';
import { TransportError, type DownloadStream, type InboxItem, type InboxPage, type SendResult, type SyncTransport } from './transport.js';
import type { DirectoryEntry } from './wire.js';

export interface VdxpOptions {
  endpoint: string;
  /** The agency's identifier registered on the axis (its mã định danh); the `from` of what it sends. */
  systemId: string;
  /** The agency's secret on the axis, asked for each request (throw to stop: the session ended). */
  secret: string | (() => string);
  timeoutMs?: number;
  now?: () => Date;
}

/** The axis's answer envelope. */
interface Envelope {
  status?: string;
  ErrorCode?: string;
  ErrorDesc?: string;
  DocId?: string;
  data?: unknown;
}

interface ListedEdoc {
  docId: string;
  messageType?: string;
  from?: string;
  to?: string;
}

const sdkAgent = 'JAVASDKAgent/1.0.0 XRoad/VPCP';
const sdkVersion = '3.0.201608';

/** `ddMMyyyy'T'HHmmss+SSSS`, the SDK's timestamp (local clock, milliseconds on four digits). */
function sdkTimestamp(at: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(at.getDate())}${p(at.getMonth() + 1)}${at.getFullYear()}T${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}+${p(at.getMilliseconds(), 4)}`;
}

/** The SDK's `hash-file`: SHA-256 with each byte in hex without zero padding (a quirk servers may compare). */
function sdkFileHash(bytes: Uint8Array): string {
  return [...crypto.createHash('sha256').update(bytes).digest()].map((b) => b.toString(16)).join('');
}

/** The signed headers of one call: each parameter as `XroadVnpt-<name>`, their JSON, its HMAC. */
function signedHeaders(params: Record<string, string>, secret: string): Record<string, string> {
  const entries = Object.entries(params).map(([k, v]) => [`XroadVnpt-${k}`, v] as const);
  const json = JSON.stringify(Object.fromEntries(entries));
  return {
    ...Object.fromEntries(entries),
    'XroadVnpt-sign-header-key': entries.map(([k]) => k).join(';'),
    'XroadVnpt-sign-header': json,
    'XroadVnpt-hash-header': crypto.createHmac('sha256', Buffer.from(secret, 'utf8')).update(json).digest('hex'),
    'XroadVnpt-version': sdkVersion,
    'User-Agent': sdkAgent,
  };
}

export class VdxpTransport implements SyncTransport {
  readonly name = 'vdxp';
  /** The axis's directory is large (some 100,000 units): fetched once a day. */
  readonly directoryMaxAgeMs = 24 * 3600_000;
  private readonly base: string;

  constructor(private readonly options: VdxpOptions) {
    const url = new URL(options.endpoint);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TransportError('rejected', 'Axis endpoint must be http(s)');
    this.base = url.toString().replace(/\/$/, '');
  }

  /** No session to open (each request is signed): checks the secret with a small signed call instead. */
  async login(): Promise<void> {
    await this.call('/getReceivedEdocList', { servicetype: 'eDoc', messagetype: 'status' });
  }

  async listInbox(_cursor: string | null, limit: number): Promise<InboxPage> {
    const items: InboxItem[] = [];
    for (const messagetype of ['edoc', 'status'] as const) {
      const answer = await this.call('/getReceivedEdocList', { servicetype: 'eDoc', messagetype });
      const listed = Array.isArray(answer.data) ? (answer.data as ListedEdoc[]) : [];
      for (const e of listed) {
        if (typeof e.docId !== 'string' || e.docId === '') continue;
        items.push({ key: e.docId, packageRef: e.docId, kind: messagetype, businessType: 0, documentId: '', from: e.from ?? '', size: null, sha256: null });
      }
    }
    return { items: items.slice(0, limit), cursor: null };
  }

  /** The whole package at once (the axis does not resume): `offset` is answered with 0. */
  async openDownload(item: InboxItem): Promise<DownloadStream> {
    const answer = await this.call('/getEdoc', { docId: item.packageRef, filePath: '' });
    if (typeof answer.data !== 'string') throw new TransportError('rejected', `getEdoc ${item.packageRef}: no package in the answer`);
    const bytes = Buffer.from(answer.data, 'base64');
    return { offset: 0, total: bytes.length, body: (async function* () { yield bytes; })() };
  }

  async ack(item: InboxItem, result: 'done' | 'fail'): Promise<void> {
    await this.call('/updateStatus', { docid: item.packageRef, status: result });
  }

  async send(bytes: Uint8Array, options: { kind: 'edoc' | 'status'; idempotencyKey: string }): Promise<SendResult> {
    const form = new FormData();
    form.append('file_doc', new Blob([bytes], { type: 'application/xml' }), 'edoc.edxml');
    const answer = await this.call('/sendEdoc', { from: this.options.systemId, servicetype: 'eDoc', messagetype: options.kind }, form, { 'hash-file': sdkFileHash(bytes) });
    return { remoteId: answer.DocId ?? '' };
  }

  async directory(): Promise<DirectoryEntry[]> {
    const answer = await this.call('/getAgenciesList', {});
    const listed = Array.isArray(answer.data) ? (answer.data as Array<{ code?: unknown; name?: unknown }>) : [];
    return listed
      .filter((a): a is { code: string; name: string } => typeof a.code === 'string' && typeof a.name === 'string')
      .map((a) => ({ code: a.code, name: a.name, parent: null }));
  }

  private secret(): string {
    const s = this.options.secret;
    return typeof s === 'function' ? s() : s;
  }

  /** One signed call; the axis answers 200 with `status: FAIL` and an error code for what it refuses. */
  private async call(path: string, params: Record<string, string>, body?: FormData, extra: Record<string, string> = {}): Promise<Envelope> {
    const headers = {
      ...signedHeaders({ timestamp: sdkTimestamp(this.options.now?.() ?? new Date()), systemid: this.options.systemId, ...params }, this.secret()),
      ...extra,
    };
    const res = await fetchOrNetworkError(this.base + path, { method: 'POST', headers, body, timeoutMs: this.options.timeoutMs ?? 30_000 });
    if (res.status >= 500) throw new TransportError('server', `${path}: HTTP ${res.status}`, res.status);
    if (!res.ok) throw new TransportError('rejected', `${path}: HTTP ${res.status} (signature or agency refused)`, res.status, 'AUTH');
    const answer = await readJson<Envelope>(res);
    if (answer.status !== 'OK') {
      throw new TransportError('rejected', `${path}: ${answer.ErrorDesc ?? 'refused'}`, res.status, answer.ErrorCode ?? undefined);
    }
    return answer;
  }
}
