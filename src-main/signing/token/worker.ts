/**
 * The token worker: the only code that loads vendor PKCS#11 modules. It runs in a
 * process of its own (child_process.fork here, utilityProcess in Electron) so that a
 * module that blocks or crashes takes only this process down; the service abandons
 * a call that does not answer in time and starts a fresh worker.
 *
 * A PIN arrives with one sign request, is passed to C_Login, and is dropped; it is
 * never logged, stored or echoed back. A rejected PIN is reported with the token's
 * flags (count low / final try / locked) and never retried.
 */
import crypto from 'node:crypto';
import pkcs11js from 'pkcs11js';
import { AppError, toErrorValue } from '../../api/errors.js';
import { createLogger } from '../../log.js';
import { SHA256_DIGEST_INFO_PREFIX, ecdsaRawToDer } from '../cms.js';
import { certParts, isCa, keyUsage, nameToString, readNode, children, oidToString } from '../der.js';
import type { PinFlags, SignRequest, SignResponse, TokenCertificate, TokenInfo, WorkerRequest, WorkerResponse } from './protocol.js';
import { parentChannel, type ParentChannel } from './workerProcess.js';

const log = createLogger('signing.token-worker');

interface Loaded {
  path: string;
  p11: pkcs11js.PKCS11;
}

const loaded = new Map<string, Loaded>();

function rv(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && code !== 0 ? code : undefined;
}

function rvName(code: number | undefined): string {
  if (code === undefined) return 'UNKNOWN';
  for (const [k, v] of Object.entries(pkcs11js)) if (k.startsWith('CKR_') && v === code) return k;
  return `0x${code.toString(16)}`;
}

const REMOVED = new Set([
  pkcs11js.CKR_TOKEN_NOT_PRESENT,
  pkcs11js.CKR_DEVICE_REMOVED,
  pkcs11js.CKR_SESSION_HANDLE_INVALID,
  pkcs11js.CKR_SESSION_CLOSED,
  pkcs11js.CKR_SLOT_ID_INVALID,
  pkcs11js.CKR_TOKEN_NOT_RECOGNIZED,
  pkcs11js.CKR_DEVICE_ERROR,
]);

function mapError(error: unknown, during: string): AppError {
  if (error instanceof AppError) return error;
  const code = rv(error);
  const name = rvName(code);
  if (code !== undefined && REMOVED.has(code)) return new AppError('NOT_FOUND', 'The token was removed or stopped answering', { reason: 'TOKEN_REMOVED', pkcs11: name, during });
  if (code === pkcs11js.CKR_PIN_LOCKED) return new AppError('FORBIDDEN', 'The token PIN is locked', { reason: 'PIN_LOCKED' });
  if (code === pkcs11js.CKR_PIN_INCORRECT || code === pkcs11js.CKR_PIN_INVALID || code === pkcs11js.CKR_PIN_LEN_RANGE) {
    return new AppError('FORBIDDEN', 'Wrong PIN', { reason: 'PIN_INCORRECT' });
  }
  if (code === pkcs11js.CKR_PIN_EXPIRED) return new AppError('FORBIDDEN', 'The PIN has expired and must be changed', { reason: 'PIN_EXPIRED' });
  if (code === pkcs11js.CKR_FUNCTION_CANCELED) return new AppError('FORBIDDEN', 'Cancelled on the token', { reason: 'CANCELLED' });
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('INTERNAL', `Token error during ${during}`, { reason: 'TOKEN_ERROR', pkcs11: name, message: message.split('\n')[0] });
}

function init(modules: string[]): { module: string; ok: boolean; error?: string }[] {
  const results: { module: string; ok: boolean; error?: string }[] = [];
  for (const path of modules) {
    if (loaded.has(path)) {
      results.push({ module: path, ok: true });
      continue;
    }
    const p11 = new pkcs11js.PKCS11();
    try {
      p11.load(path); // fails when the file lacks C_GetFunctionList or has the wrong bitness
      try {
        p11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
      } catch (error) {
        if (rv(error) !== pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED) throw error; // "already initialised" is fine
      }
      loaded.set(path, { path, p11 });
      results.push({ module: path, ok: true });
    } catch (error) {
      log.warn('module not loaded', { module: path, pkcs11: rvName(rv(error)) });
      results.push({ module: path, ok: false, error: error instanceof Error ? error.message.split('\n')[0] : String(error) });
    }
  }
  return results;
}

function reinitialize(m: Loaded): void {
  try {
    m.p11.C_Finalize();
  } catch {
    // not initialised: fine
  }
  try {
    m.p11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (error) {
    if (rv(error) !== pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED) throw error;
  }
}

function pinFlags(flags: number): PinFlags {
  return {
    countLow: (flags & pkcs11js.CKF_USER_PIN_COUNT_LOW) !== 0,
    finalTry: (flags & pkcs11js.CKF_USER_PIN_FINAL_TRY) !== 0,
    locked: (flags & pkcs11js.CKF_USER_PIN_LOCKED) !== 0,
    toBeChanged: (flags & pkcs11js.CKF_USER_PIN_TO_BE_CHANGED) !== 0,
  };
}

/**
 * A refused PIN, worded from the token's flags: locked, one try left, few tries
 * left, or just wrong. `details.pin` carries the flags for the UI; no PIN in it.
 */
function pinError(flags: PinFlags, lockedAnswer: boolean): AppError {
  if (flags.locked || lockedAnswer) {
    return new AppError('FORBIDDEN', 'The token PIN is locked: unblock it with the token manager (PUK / SO PIN) before signing', { reason: 'PIN_LOCKED', pin: { ...flags, locked: true } });
  }
  if (flags.finalTry) return new AppError('FORBIDDEN', 'Wrong PIN. One try left: another wrong PIN locks the token', { reason: 'PIN_INCORRECT', pin: flags, triesLeft: 'one' });
  if (flags.countLow) return new AppError('FORBIDDEN', 'Wrong PIN. The token counts failed tries: few are left before it locks', { reason: 'PIN_INCORRECT', pin: flags, triesLeft: 'few' });
  return new AppError('FORBIDDEN', 'Wrong PIN', { reason: 'PIN_INCORRECT', pin: flags });
}

function findAll(p11: pkcs11js.PKCS11, session: Buffer, template: pkcs11js.Template): Buffer[] {
  p11.C_FindObjectsInit(session, template);
  try {
    const out: Buffer[] = [];
    for (let i = 0; i < 1000; i += 1) {
      const batch = p11.C_FindObjects(session, 32);
      if (batch.length === 0) break;
      out.push(...batch);
    }
    return out;
  } finally {
    p11.C_FindObjectsFinal(session);
  }
}

function spkiKeyType(spki: Buffer): TokenCertificate['keyType'] {
  const alg = children(children(readNode(spki))[0] ?? readNode(spki))[0];
  const id = alg ? oidToString(alg) : '';
  return id === '1.2.840.113549.1.1.1' ? 'rsa' : id === '1.2.840.10045.2.1' ? 'ec' : 'other';
}

function listTokens(reinit: boolean): TokenInfo[] {
  const out: TokenInfo[] = [];
  for (const m of loaded.values()) {
    const { p11 } = m;
    if (reinit) reinitialize(m);
    let slots: Buffer[];
    try {
      slots = p11.C_GetSlotList(true);
    } catch (error) {
      log.warn('slot list failed', { module: m.path, pkcs11: rvName(rv(error)) });
      continue;
    }
    for (const slot of slots) {
      try {
        const info = p11.C_GetTokenInfo(slot);
        if (!(info.flags & pkcs11js.CKF_TOKEN_INITIALIZED)) continue;
        const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
        const certificates: TokenCertificate[] = [];
        try {
          const handles = findAll(p11, session, [
            { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
            { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
          ]);
          const keyIds = new Set(
            findAll(p11, session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY }])
              .concat(findAll(p11, session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }]))
              .map((h) => (p11.C_GetAttributeValue(session, h, [{ type: pkcs11js.CKA_ID }])[0]?.value as Buffer | undefined)?.toString('hex') ?? ''),
          );
          for (const h of handles) {
            const attrs = p11.C_GetAttributeValue(session, h, [{ type: pkcs11js.CKA_ID }, { type: pkcs11js.CKA_LABEL }, { type: pkcs11js.CKA_VALUE }]);
            const der = attrs[2]?.value as Buffer | undefined;
            if (!der) continue;
            try {
              const parts = certParts(der);
              const id = (attrs[0]?.value as Buffer | undefined)?.toString('hex') ?? '';
              certificates.push({
                id,
                label: (attrs[1]?.value as Buffer | undefined)?.toString('utf8') ?? '',
                der: parts.der.toString('base64'),
                subject: nameToString(parts.subject),
                issuer: nameToString(parts.issuer),
                serial: parts.serial.toString('hex'),
                notBefore: parts.notBefore.toISOString(),
                notAfter: parts.notAfter.toISOString(),
                keyUsage: keyUsage(parts),
                keyType: spkiKeyType(parts.spki),
                isCa: isCa(parts),
                keyVisible: keyIds.has(id),
              });
            } catch {
              // a certificate object we cannot parse: skip it
            }
          }
        } finally {
          p11.C_CloseSession(session);
        }
        out.push({
          module: m.path,
          slot: slot.toString('hex'),
          label: info.label.trim(),
          manufacturer: info.manufacturerID.trim(),
          model: info.model.trim(),
          serial: info.serialNumber.trim(),
          pin: pinFlags(info.flags),
          loginRequired: (info.flags & pkcs11js.CKF_LOGIN_REQUIRED) !== 0,
          certificates,
        });
      } catch (error) {
        // a token pulled out between C_GetSlotList and here: skip it
        log.warn('token skipped', { module: m.path, pkcs11: rvName(rv(error)) });
      }
    }
  }
  return out;
}

function findSlot(m: Loaded, serial: string, label?: string): Buffer {
  for (const slot of m.p11.C_GetSlotList(true)) {
    try {
      const info = m.p11.C_GetTokenInfo(slot);
      if (info.serialNumber.trim() === serial && (label === undefined || info.label.trim() === label)) return slot;
    } catch {
      // removed meanwhile
    }
  }
  throw new AppError('NOT_FOUND', 'The token is not connected', { reason: 'TOKEN_REMOVED' });
}

function sign(req: SignRequest): SignResponse {
  const m = loaded.get(req.module);
  if (!m) throw new AppError('NOT_FOUND', 'PKCS#11 module not loaded', { reason: 'MODULE_NOT_LOADED' });
  const { p11 } = m;
  let stage = 'open session';
  let session: Buffer | undefined;
  let loggedIn = false;
  try {
    const slot = findSlot(m, req.tokenSerial, req.tokenLabel);
    session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    stage = 'login';
    // a locked token is not sent the PIN at all
    const flagsBefore = pinFlags(p11.C_GetTokenInfo(slot).flags);
    if (flagsBefore.locked) throw pinError(flagsBefore, true);
    try {
      p11.C_Login(session, pkcs11js.CKU_USER, req.pin);
      loggedIn = true;
    } catch (error) {
      if (rv(error) === pkcs11js.CKR_USER_ALREADY_LOGGED_IN) loggedIn = true;
      else {
        const mapped = mapError(error, stage);
        const reason = (mapped.details as { reason?: unknown } | undefined)?.reason;
        if (reason !== 'PIN_INCORRECT' && reason !== 'PIN_LOCKED') throw mapped;
        // the token's own flags after the failure drive the message; the PIN is never retried
        let flags: PinFlags | undefined;
        try {
          flags = pinFlags(p11.C_GetTokenInfo(slot).flags);
        } catch {
          throw mapped;
        }
        throw pinError(flags, reason === 'PIN_LOCKED');
      }
    }
    stage = 'find key';
    const id = Buffer.from(req.certId, 'hex');
    const keys = findAll(p11, session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      { type: pkcs11js.CKA_ID, value: id },
    ]);
    const key = keys[0];
    if (!key) throw new AppError('NOT_FOUND', 'No private key for this certificate on the token', { reason: 'KEY_NOT_FOUND' });
    const attrs = p11.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_KEY_TYPE }]);
    const keyType = attrs[0]?.value as Buffer | undefined;
    const kt = keyType ? keyType.readUIntLE(0, Math.min(keyType.length, 6)) : pkcs11js.CKK_RSA;
    let alwaysAuth = false;
    try {
      const a = p11.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_ALWAYS_AUTHENTICATE }])[0]?.value as Buffer | undefined;
      alwaysAuth = !!a && a[0] === 1;
    } catch {
      // attribute not supported: no per-signature login
    }
    const mechanisms = new Set(p11.C_GetMechanismList(findSlot(m, req.tokenSerial, req.tokenLabel)));
    const data = Buffer.from(req.data, 'base64');
    const digest = crypto.createHash('sha256').update(data).digest();
    // RSA: the token hashes (CKM_SHA256_RSA_PKCS) when it lists that mechanism; else,
    // or when it refuses it at C_SignInit, the raw CKM_RSA_PKCS over our SHA-256
    // DigestInfo gives the same PKCS#1 v1.5 signature.
    const raw = { mechanism: pkcs11js.CKM_RSA_PKCS, input: Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest]), name: 'CKM_RSA_PKCS' };
    let plan: { mechanism: number; input: Buffer; name: string };
    if (kt === pkcs11js.CKK_EC) plan = { mechanism: pkcs11js.CKM_ECDSA, input: digest, name: 'CKM_ECDSA' };
    else if (mechanisms.has(pkcs11js.CKM_SHA256_RSA_PKCS)) plan = { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS, input: data, name: 'CKM_SHA256_RSA_PKCS' };
    else plan = raw;
    stage = 'sign';
    try {
      p11.C_SignInit(session, { mechanism: plan.mechanism }, key);
    } catch (error) {
      if (plan.mechanism !== pkcs11js.CKM_SHA256_RSA_PKCS || rv(error) !== pkcs11js.CKR_MECHANISM_INVALID) throw error;
      log.info('token refused CKM_SHA256_RSA_PKCS; signing with CKM_RSA_PKCS', { module: m.path });
      plan = raw;
      p11.C_SignInit(session, { mechanism: plan.mechanism }, key);
    }
    if (alwaysAuth) p11.C_Login(session, pkcs11js.CKU_CONTEXT_SPECIFIC, req.pin);
    const out = p11.C_Sign(session, plan.input, Buffer.alloc(1024));
    const mechName = plan.name;
    const signature = kt === pkcs11js.CKK_EC ? ecdsaRawToDer(out) : out;
    return { signature: signature.toString('base64'), mechanism: mechName };
  } catch (error) {
    throw mapError(error, stage);
  } finally {
    if (session) {
      if (loggedIn) {
        try {
          p11.C_Logout(session);
        } catch {
          // removed token: nothing to log out of
        }
      }
      try {
        p11.C_CloseSession(session);
      } catch {
        // same
      }
    }
  }
}

function handle(msg: WorkerRequest): unknown {
  switch (msg.op) {
    case 'ping':
      return { pid: process.pid };
    case 'init':
      return init(msg.modules);
    case 'list':
      return listTokens(msg.reinitialize === true);
    case 'sign':
      return sign(msg.request);
  }
}

export function runWorker(channel: ParentChannel): void {
  channel.onMessage((raw: unknown) => {
    const msg = raw as WorkerRequest;
    let response: WorkerResponse;
    try {
      response = { id: msg.id, ok: true, value: handle(msg) };
    } catch (error) {
      const mapped = mapError(error, msg.op);
      response = { id: msg.id, ok: false, error: toErrorValue(mapped) };
    }
    channel.send(response);
  });
  process.on('disconnect', () => process.exit(0));
  channel.send({ id: 0, ok: true, value: 'ready' } satisfies WorkerResponse);
}

const channel = parentChannel();
if (channel && process.argv.includes('--vanthu-token-worker')) runWorker(channel);
