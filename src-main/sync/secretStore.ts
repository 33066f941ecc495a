/**
 * The remembered sync password: encrypted by a SecretStore (in the app: Electron's
 * safeStorage, i.e. the OS keychain / DPAPI / libsecret — src-main/electron/secretStore.ts)
 * and kept as `<dataDir>/sync/credential.bin`, written atomically (temporary name,
 * fsync, rename; mode 0600). The plain text is a small JSON record binding the password
 * to the server URL, user name and agency it was accepted for, so it is never sent to
 * another server. Nothing here logs, and no error carries the plain text.
 * The preview host and the CLI have no SecretStore: they never remember a password.
 */
import fs from 'node:fs';
import path from 'node:path';
import { syncDirectory, writeFileAtomically } from '../store/atomicFile.js';

export interface SecretStore {
  /** Whether secrets can be kept safely on this machine (false: memory only, with why). */
  available(): { ok: true } | { ok: false; reason: string };
  encrypt(plain: string): Buffer;
  /** Throws when the blob cannot be decrypted (other key, corrupted). */
  decrypt(blob: Buffer): string;
}

export interface StoredCredential {
  /** Absent in credentials stored before the national axis could be chosen: the provincial server. */
  protocol?: 'reference' | 'vdxp';
  serverUrl: string;
  username: string;
  agency: string;
  password: string;
}

export type LoadedCredential =
  | { state: 'none' }
  | { state: 'ok'; credential: StoredCredential }
  /** The file exists but cannot be used; `reason` is a fixed word, never derived from the content. */
  | { state: 'unreadable'; reason: 'decrypt' | 'format' };

const fileName = 'credential.bin';
const formatVersion = 1;

export function credentialPath(dataDir: string): string {
  return path.join(dataDir, 'sync', fileName);
}

export function hasCredential(dataDir: string): boolean {
  return fs.existsSync(credentialPath(dataDir));
}

/** Writes the blob whole or not at all: temporary file (0600), fsync, rename, fsync of the folder. */
export function writeCredentialBlob(dataDir: string, blob: Buffer): void {
  const target = credentialPath(dataDir);
  fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  writeFileAtomically(target, blob, { mode: 0o600 });
}

export function readCredentialBlob(dataDir: string): Buffer | null {
  try {
    return fs.readFileSync(credentialPath(dataDir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Deletes the stored credential (and any temporary left by an interrupted write); true when one existed. */
export function deleteCredential(dataDir: string): boolean {
  const target = credentialPath(dataDir);
  const existed = fs.existsSync(target);
  fs.rmSync(target, { force: true });
  const dir = path.dirname(target);
  try {
    for (const name of fs.readdirSync(dir)) if (name.startsWith(`.${fileName}.`) && name.endsWith('.tmp')) fs.rmSync(path.join(dir, name), { force: true });
  } catch {
    // no sync folder yet
  }
  if (existed) syncDirectory(dir);
  return existed;
}

/** Encrypts and stores the credential. Throws (without the secret) when the store cannot encrypt. */
export function saveCredential(dataDir: string, secrets: SecretStore, credential: StoredCredential): void {
  let blob: Buffer;
  try {
    blob = secrets.encrypt(JSON.stringify({ v: formatVersion, ...credential }));
  } catch {
    throw new Error('The password could not be encrypted');
  }
  writeCredentialBlob(dataDir, blob);
}

/** Reads and decrypts the stored credential. Does not delete anything: the caller decides. */
export function loadCredential(dataDir: string, secrets: SecretStore): LoadedCredential {
  const blob = readCredentialBlob(dataDir);
  if (blob === null) return { state: 'none' };
  let plain: string;
  try {
    plain = secrets.decrypt(blob);
  } catch {
    return { state: 'unreadable', reason: 'decrypt' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(plain);
  } catch {
    // (the parser's message may quote the text: never passed on)
    return { state: 'unreadable', reason: 'format' };
  }
  const r = parsed as Partial<Record<keyof StoredCredential | 'v', unknown>> | null;
  if (
    typeof r !== 'object' ||
    r === null ||
    r.v !== formatVersion ||
    typeof r.serverUrl !== 'string' ||
    typeof r.username !== 'string' ||
    typeof r.agency !== 'string' ||
    typeof r.password !== 'string' ||
    r.password.length === 0
  ) {
    return { state: 'unreadable', reason: 'format' };
  }
  const protocol = r.protocol === 'vdxp' ? 'vdxp' : 'reference';
  return { state: 'ok', credential: { protocol, serverUrl: r.serverUrl, username: r.username, agency: r.agency, password: r.password } };
}
