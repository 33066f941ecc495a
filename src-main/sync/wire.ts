/**
 * Wire types of the reference provincial server's HTTP API (src-server). Shared by
 * the server and the reference transport adapter; the sync engine itself sees only
 * the transport interface (transport.ts), never these.
 *
 * Routes (JSON unless noted; every route but /v1/auth/login needs `Authorization: Bearer`):
 *   POST /v1/auth/login            {agency, username, password, pcId} → LoginResponse
 *   GET  /v1/agencies              → {agencies: DirectoryEntry[]}
 *   POST /v1/packages              body = raw edXML (document or status), `Idempotency-Key`,
 *                                  `X-Content-SHA256` → SendResponse
 *   POST /v1/packages/batch        {packages: {idempotencyKey, sha256, content (Base64)}[]} (≤ 500, each ≤ 256 KB)
 *                                  → {results: {status, json}[]}, each as POST /v1/packages would answer
 *   GET  /v1/inbox?after=&limit=   → {items: InboxEntry[], cursor, receivedBy}: empty, with the holder's
 *                                  PC id in receivedBy, for a PC other than the holder of the lease on the
 *                                  agency's incoming register ('in') of the current year — one PC receives
 *   GET  /v1/packages/:id          raw bytes, `Range: bytes=N-` honoured (206), `X-Content-SHA256`
 *   POST /v1/inbox/ack             {acks: {deliveryId, result, reason?}[]} → {results} (several acks)
 *   POST /v1/inbox/:deliveryId/ack {result: 'done'|'fail', reason?} (transport ack, idempotent)
 *   POST /v1/feed                  {mutations: FeedMutation[]} → {results: {key, seq}[]}
 *   GET  /v1/feed?after=&limit=    → {items: FeedEntry[], cursor}
 *   GET  /v1/registers             → {leases: LeaseInfo[]}
 *   POST /v1/registers/acquire     {year, series} → LeaseInfo (409 when another PC holds it)
 *   POST /v1/registers/release     {year, series, lastNumber} → LeaseInfo
 *   POST /v1/registers/number      {year, series, key} → {number} (server-owned series only)
 *   POST /v1/registers/report      {year, series, numbers: {number, ref}[]} (lease holder)
 * Errors: {error: {code, message}} with 4xx/5xx.
 */

export type Role = 'clerk' | 'leader' | 'specialist';

export interface LoginRequest {
  agency: string;
  username: string;
  password: string;
  pcId: string;
}

export interface LoginResponse {
  token: string;
  expiresAt: string;
  agency: { code: string; name: string };
  user: { username: string; fullName: string; role: Role };
}

export interface DirectoryEntry {
  code: string;
  name: string;
  parent: string | null;
}

export interface SendResponse {
  packageId: number;
  documentId: string;
  recipients: string[];
  duplicate: boolean;
}

export interface InboxEntry {
  deliveryId: number;
  packageId: number;
  kind: 'edoc' | 'status';
  businessType: number;
  documentId: string;
  from: string;
  size: number;
  sha256: string;
  createdAt: string;
}

export interface FeedMutation {
  /** Idempotency key chosen by the client (unique per agency). */
  key: string;
  entity: string;
  entityKey: string;
  op: string;
  payload: unknown;
}

export interface FeedEntry {
  seq: number;
  pcId: string;
  username: string;
  entity: string;
  entityKey: string;
  op: string;
  payload: unknown;
  at: string;
}

export interface LeaseInfo {
  year: number;
  series: string;
  /** PC holding the lease, null when the server owns the series. */
  holder: string | null;
  /** Last number known to the server (used when a lease is granted). */
  lastNumber: number;
}

export interface WireError {
  error: { code: string; message: string };
}
