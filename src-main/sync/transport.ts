/**
 * The small interface the sync engine talks through. The reference server
 * (referenceTransport.ts) is the first adapter. The shapes are those common to the
 * provincial/national APIs of the standards doc §3 — list pending packages, fetch one,
 * transport-ack it (done/fail), send an edXML package or status, directory — so that a
 * VDXP-style adapter (HMAC-signed `XroadVnpt-*` headers per request, §3.2: `login()` is a
 * no-op, `openDownload` ignores `offset`, the cursor is null) or a provincial REST/OAuth2
 * adapter (§3.4: `login()` fetches a client-credentials token) fits without touching the
 * engine. Agency records across the agency's own PCs (change feed, register leases) are
 * an optional capability: axes that lack them simply do not provide `records`.
 */
import type { DirectoryEntry, FeedEntry, FeedMutation, LeaseInfo } from './wire.js';

export type TransportErrorKind =
  /** No answer: connection refused/reset, timeout, truncated body. Retried with backoff. */
  | 'network'
  /** 5xx: retried with backoff. */
  | 'server'
  /** 4xx other than 401: not retried; the server's reason is shown to the user. */
  | 'rejected'
  /** 401: the login is refreshed once, then the call is retried. */
  | 'unauthorized';

export class TransportError extends Error {
  constructor(
    readonly kind: TransportErrorKind,
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface InboxItem {
  /** Stable id of this delivery to this agency (used for dedupe and for the ack). */
  key: string;
  /** Id to fetch the package with. */
  packageRef: string;
  kind: 'edoc' | 'status';
  businessType: number;
  documentId: string;
  from: string;
  /** Size and SHA-256 of the package when the transport announces them (checked after download). */
  size: number | null;
  sha256: string | null;
}

export interface InboxPage {
  items: InboxItem[];
  /** Opaque cursor to persist; null for transports that only list what is still pending. */
  cursor: string | null;
  /** When another PC of the agency receives its packages (transports with agency records): that PC's id. */
  receivedBy?: string | null;
}

export interface DownloadStream {
  /** Offset the body starts at: the requested offset when the transport resumed, 0 when it restarted. */
  offset: number;
  total: number | null;
  body: AsyncIterable<Uint8Array>;
}

export interface SendResult {
  remoteId: string;
}

export interface AgencyRecordsTransport {
  pushFeed(mutations: FeedMutation[]): Promise<Array<{ key: string; seq: number }>>;
  pullFeed(cursor: number, limit: number): Promise<{ items: FeedEntry[]; cursor: number }>;
  leases(): Promise<LeaseInfo[]>;
  acquireLease(year: number, series: string): Promise<LeaseInfo>;
  releaseLease(year: number, series: string, lastNumber: number): Promise<LeaseInfo>;
  reportNumbers(year: number, series: string, numbers: Array<{ number: number; ref: string }>): Promise<LeaseInfo>;
  /** A number from the server for a series no PC holds the lease of; idempotent per key. */
  serverNumber(year: number, series: string, key: string): Promise<number>;
}

export interface SyncTransport {
  readonly name: string;
  /** Authenticates (or refreshes the authentication). Never logs the secret. */
  login(): Promise<void>;
  listInbox(cursor: string | null, limit: number): Promise<InboxPage>;
  openDownload(item: InboxItem, offset: number, signal?: AbortSignal): Promise<DownloadStream>;
  ack(item: InboxItem, result: 'done' | 'fail', reason?: string): Promise<void>;
  /**
   * Optional: several transport acks in one call. Resolves with one entry per ack, in
   * order: null when applied, or the error of that ack (a failure of the whole call rejects).
   */
  ackMany?(acks: Array<{ item: InboxItem; result: 'done' | 'fail'; reason?: string }>): Promise<Array<TransportError | null>>;
  send(bytes: Uint8Array, options: { kind: 'edoc' | 'status'; idempotencyKey: string }): Promise<SendResult>;
  /**
   * Optional: several small packages (status messages) in one call. One entry per
   * package, in order: null when accepted, or the refusal of that package; a failure of
   * the whole call (network, 5xx on any) rejects, and the idempotency keys make the retry safe.
   */
  sendMany?(packages: Array<{ bytes: Uint8Array; kind: 'edoc' | 'status'; idempotencyKey: string }>): Promise<Array<TransportError | null>>;
  directory(): Promise<DirectoryEntry[]>;
  /** The directory is fetched again only when older than this (ms); absent: every round. */
  readonly directoryMaxAgeMs?: number;
  records?: AgencyRecordsTransport;
}

/** Runs a transport call, refreshing the login once on 401. */
export async function withLogin<T>(transport: SyncTransport, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof TransportError && error.kind === 'unauthorized') {
      await transport.login();
      return call();
    }
    throw error;
  }
}
