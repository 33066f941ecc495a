/** Messages between the token service (app side) and the token worker process. */
import type { ApiErrorValue } from '../../api/errors.js';

export interface PinFlags {
  countLow: boolean;
  finalTry: boolean;
  locked: boolean;
  toBeChanged: boolean;
}

export interface TokenCertificate {
  /** CKA_ID, hex: the key pair and certificate share it */
  id: string;
  label: string;
  /** certificate DER, base64 */
  der: string;
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  keyUsage?: string[];
  keyType: 'rsa' | 'ec' | 'other';
  isCa: boolean;
  /** a key object with the same CKA_ID is visible (public key before login) */
  keyVisible: boolean;
}

export interface TokenInfo {
  module: string;
  /** slot handle, hex (never assume slot 0) */
  slot: string;
  label: string;
  manufacturer: string;
  model: string;
  serial: string;
  pin: PinFlags;
  loginRequired: boolean;
  certificates: TokenCertificate[];
}

export interface SignRequest {
  module: string;
  /** token serial (stable) — the slot may change after re-insertion */
  tokenSerial: string;
  tokenLabel?: string;
  certId: string;
  /** held for this one call only; never logged */
  pin: string;
  /** bytes to sign (DER signed attributes), base64 */
  data: string;
}

export interface SignResponse {
  /** base64: RSA PKCS#1 v1.5 signature, or DER ECDSA-Sig-Value */
  signature: string;
  mechanism: string;
}

export type WorkerRequest =
  | { id: number; op: 'init'; modules: string[] }
  | { id: number; op: 'list'; reinitialize?: boolean }
  | { id: number; op: 'sign'; request: SignRequest }
  | { id: number; op: 'ping' };

export type WorkerResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ApiErrorValue };

/** A request without its id (distributes over the union). */
export type WorkerCall = { [K in WorkerRequest['op']]: Omit<Extract<WorkerRequest, { op: K }>, 'id'> }[WorkerRequest['op']];
