/**
 * The remembered sync password (app/syncHandlers.ts, sync/secretStore.ts) on real stores,
 * against the reference server on loopback, with a SecretStore doing real AES-256-GCM
 * (key in memory, standing in for Electron's safeStorage): the credential file holds no
 * password bytes; reopening the services resumes sync without asking, and a round works;
 * an unavailable store (or none: preview, CLI) writes nothing; a damaged file or a
 * changed key deletes it and leaves sync unconfigured; `sync:forget` deletes it; a password
 * changed on the server (401) deletes it; the password is in no log line and no file of
 * the data folder (SQLite database and WAL included).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openServices, type AppServices } from '../../src-main/app/services.js';
import { completeSetup } from '../../src-main/documents/masterData.js';
import { credentialPath, type SecretStore } from '../../src-main/sync/secretStore.js';
import { addUser } from '../../src-server/store.js';
import { agencyA, agencyB, clientStore, issuedDocument, password, startBench, tempDir } from '../sync/harness.js';
import { startAxis } from '../sync/vdxpAxis.js';
import { ok, refused, syncUntilSent as settle } from './appCalls.js';

vi.hoisted(() => {
  process.env['VANTHU_LOG_LEVEL'] = 'debug';
});

const newPassword = 'mat-khau-moi-da-doi-2026';
let logged = '';
const realWrite = process.stderr.write.bind(process.stderr);
const opened: AppServices[] = [];

beforeAll(() => {
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    logged += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return realWrite(chunk, ...rest);
  }) as typeof process.stderr.write;
});

afterEach(async () => {
  for (const s of opened.splice(0)) await s.shutdown();
});

afterAll(() => {
  process.stderr.write = realWrite;
});

/** A SecretStore as safeStorage behaves: AES-256-GCM, key held in memory; `calls` counts uses. */
function aesStore(key: Buffer = crypto.randomBytes(32)): SecretStore & { calls: number } {
  const store = {
    calls: 0,
    available: () => ({ ok: true as const }),
    encrypt(plain: string): Buffer {
      store.calls += 1;
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(blob: Buffer): string {
      store.calls += 1;
      if (blob.length < 28) throw new Error('blob too short');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
      decipher.setAuthTag(blob.subarray(12, 28));
      return Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
  return store;
}

/** Like Linux with only the basic_text backend: nothing may be encrypted. */
function unavailableStore(): SecretStore & { calls: number } {
  const store = {
    calls: 0,
    available: () => ({ ok: false as const, reason: 'no keyring (basic_text)' }),
    encrypt(): Buffer {
      store.calls += 1;
      throw new Error('not available');
    },
    decrypt(): string {
      store.calls += 1;
      throw new Error('not available');
    },
  };
  return store;
}

/** The app's services on a data folder, set up as agency A, with (or without) a SecretStore. */
function open(dataDir: string, secrets?: SecretStore): AppServices {
  const s = openServices({ dataDir, host: secrets ? 'electron' : 'cli', secrets, sync: { engine: { backoff: { baseMs: 20, capMs: 200 } } } });
  opened.push(s);
  if (!s.db.prepare('SELECT 1 FROM agency').get()) {
    completeSetup(s.db, {
      agency: { name: agencyA.name, shortName: agencyA.shortName, code: agencyA.code, place: agencyA.place },
      units: [{ name: 'Văn phòng', shortName: 'VP' }],
      user: { fullName: 'Văn thư', position: 'Văn thư', unitIndex: 0 },
    });
  }
  return s;
}

async function reopen(s: AppServices, secrets?: SecretStore): Promise<AppServices> {
  await s.shutdown();
  opened.splice(opened.indexOf(s), 1);
  return open(s.dataDir, secrets);
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** No file of the data folder (database, WAL, credential, downloads…) and no log line holds a password, in UTF-8 or UTF-16. */
function expectNoSecret(dataDir: string, secrets: string[] = [password, newPassword]): void {
  const files = filesUnder(dataDir);
  expect(files.some((f) => f.endsWith('vanthu.db'))).toBe(true);
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    for (const secret of secrets) {
      expect(bytes.includes(Buffer.from(secret, 'utf8')), `${secret} in ${path.relative(dataDir, file)}`).toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'utf16le')), `${secret} (UTF-16) in ${path.relative(dataDir, file)}`).toBe(false);
    }
  }
  for (const secret of secrets) expect(logged).not.toContain(secret);
}

const configure = (remember?: boolean, pass = password) => ({ serverUrl: '', username: 'vanthu', password: pass, ...(remember === undefined ? {} : { remember }) });

describe('remembered sync password', () => {
  it('is stored encrypted after a login, and sync resumes after a restart without asking', async () => {
    const server = await startBench();
    const secrets = aesStore();
    const a = open(tempDir(), secrets);
    const before = await ok(a, 'sync:state', {});
    expect(before).toMatchObject({ configured: false, canRemember: true, passwordRemembered: false, rememberedPasswordDropped: null });

    const state = await ok(a, 'sync:configure', { ...configure(true), serverUrl: server.url });
    expect(state).toMatchObject({ configured: true, passwordRemembered: true, canRemember: true });
    expect(JSON.stringify(state)).not.toContain(password);
    const file = credentialPath(a.dataDir);
    const blob = fs.readFileSync(file);
    expect(blob.length).toBeGreaterThan(28);
    expect(blob.includes(Buffer.from(password, 'utf8'))).toBe(false);
    expect(blob.includes(Buffer.from('vanthu', 'utf8'))).toBe(false); // the whole record is encrypted
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(file)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect((await settle(a)).state.online).toBe(true);
    expectNoSecret(a.dataDir); // open: database and WAL

    // Restart: the engine exists at once, and a round (with a document to send) works.
    const a2 = await reopen(a, secrets);
    expectNoSecret(a2.dataDir);
    const resumed = await ok(a2, 'sync:state', {});
    expect(resumed).toMatchObject({ configured: true, serverUrl: server.url, username: 'vanthu', passwordRemembered: true, rememberedPasswordDropped: null });
    const doc = await issuedDocument(a2, { subject: 'Gửi sau khi khởi động lại' });
    await ok(a2, 'exchange:send', { id: doc.id, recipients: [agencyB.code] });
    const run = await settle(a2);
    expect(run).toMatchObject({ ok: true, sent: expect.any(Number) as number });
    expect(run.state).toMatchObject({ online: true, pendingOutbox: 0, configured: true });

    const b = clientStore(agencyB);
    await ok(b, 'sync:configure', { ...configure(), serverUrl: server.url });
    expect((await settle(b)).state.pendingIncoming).toBe(1);
    expectNoSecret(a2.dataDir);
    expect(secrets.calls).toBeGreaterThanOrEqual(2); // encrypted once, decrypted at the restart
  });

  it('an unavailable store (or none) writes nothing and offers nothing', async () => {
    const server = await startBench();
    const secrets = unavailableStore();
    const a = open(tempDir(), secrets);
    expect(await ok(a, 'sync:state', {})).toMatchObject({ canRemember: false, passwordRemembered: false });
    const state = await ok(a, 'sync:configure', { ...configure(true), serverUrl: server.url });
    expect(state).toMatchObject({ configured: true, canRemember: false, passwordRemembered: false });
    expect(fs.existsSync(credentialPath(a.dataDir))).toBe(false);
    expect(secrets.calls).toBe(0);
    await settle(a);
    expectNoSecret(a.dataDir);
    const a2 = await reopen(a, secrets);
    expect(await ok(a2, 'sync:state', {})).toMatchObject({ configured: false, serverUrl: server.url, passwordRemembered: false });

    // No store at all (preview host, CLI): the same.
    const c = open(tempDir());
    const cState = await ok(c, 'sync:configure', { ...configure(true), serverUrl: server.url });
    expect(cState).toMatchObject({ configured: true, canRemember: false, passwordRemembered: false });
    expect(fs.existsSync(credentialPath(c.dataDir))).toBe(false);
  });

  it('remember=false deletes a stored password; sync:forget (validated) deletes it and stops sync', async () => {
    const server = await startBench();
    const secrets = aesStore();
    const a = open(tempDir(), secrets);
    const file = credentialPath(a.dataDir);
    await ok(a, 'sync:configure', { ...configure(true), serverUrl: server.url });
    expect(fs.existsSync(file)).toBe(true);
    const notRemembered = await ok(a, 'sync:configure', { ...configure(), serverUrl: server.url }); // remember defaults to false
    expect(notRemembered).toMatchObject({ configured: true, passwordRemembered: false });
    expect(fs.existsSync(file)).toBe(false);

    await ok(a, 'sync:configure', { ...configure(true), serverUrl: server.url });
    expect(fs.existsSync(file)).toBe(true);
    expect((await refused(a, 'sync:forget', { everything: true })).code).toBe('INVALID_INPUT');
    expect((await refused(a, 'sync:configure', { ...configure(), serverUrl: server.url, remember: 'yes' })).code).toBe('INVALID_INPUT');
    expect(fs.existsSync(file)).toBe(true);
    const forgotten = await ok(a, 'sync:forget', {});
    expect(forgotten).toMatchObject({ configured: false, passwordRemembered: false, serverUrl: server.url, username: 'vanthu' });
    expect(fs.existsSync(file)).toBe(false);
    expect((await refused(a, 'sync:now', {})).code).toBe('SETUP_REQUIRED');
    const a2 = await reopen(a, secrets);
    expect(await ok(a2, 'sync:state', {})).toMatchObject({ configured: false, passwordRemembered: false });
    expectNoSecret(a2.dataDir);
  });

  it('a damaged file or a changed key: deleted, logged without the secret, sync left unconfigured', async () => {
    const server = await startBench();
    const secrets = aesStore();
    const a = open(tempDir(), secrets);
    const file = credentialPath(a.dataDir);
    await ok(a, 'sync:configure', { ...configure(true), serverUrl: server.url });
    await a.shutdown();
    opened.splice(opened.indexOf(a), 1);

    const blob = fs.readFileSync(file);
    blob[blob.length - 1] = (blob[blob.length - 1] ?? 0) ^ 0xff;
    fs.writeFileSync(file, blob);
    const logStart = logged.length;
    const damaged = open(a.dataDir, secrets);
    const state = await ok(damaged, 'sync:state', {});
    expect(state).toMatchObject({ configured: false, passwordRemembered: false, rememberedPasswordDropped: 'unreadable', serverUrl: server.url, username: 'vanthu' });
    expect(fs.existsSync(file)).toBe(false);
    expect(logged.slice(logStart)).toContain('the remembered sync password could not be read');
    expect((await refused(damaged, 'sync:now', {})).code).toBe('SETUP_REQUIRED');

    // Asked again: works, and the state no longer reports the problem.
    const again = await ok(damaged, 'sync:configure', { ...configure(true), serverUrl: server.url });
    expect(again).toMatchObject({ configured: true, passwordRemembered: true, rememberedPasswordDropped: null });

    // The OS key changed (another user profile, a reinstalled keyring): the same.
    const otherKey = await reopen(damaged, aesStore());
    expect(await ok(otherKey, 'sync:state', {})).toMatchObject({ configured: false, passwordRemembered: false, rememberedPasswordDropped: 'unreadable' });
    expect(fs.existsSync(file)).toBe(false);
    expectNoSecret(otherKey.dataDir);
  });

  it('a password changed on the server (401) deletes the stored one, at a restart or during a run', async () => {
    const server = await startBench({ tokenLifetimeMs: 1500 });
    const secrets = aesStore();
    const a = open(tempDir(), secrets);
    const file = credentialPath(a.dataDir);
    await ok(a, 'sync:configure', { ...configure(true), serverUrl: server.url });
    await settle(a);
    const user = { agency: agencyA.code, username: 'vanthu', fullName: 'Văn thư UBND', role: 'clerk' as const };
    addUser(server.db, { ...user, password: newPassword });

    // At a restart: the engine starts from the stored password, the server refuses it.
    const a2 = await reopen(a, secrets);
    expect((await ok(a2, 'sync:state', {})).configured).toBe(true);
    const run = await ok(a2, 'sync:now', {});
    expect(run.ok).toBe(false);
    expect(run.state).toMatchObject({ configured: false, passwordRemembered: false, rememberedPasswordDropped: 'rejected' });
    expect(fs.existsSync(file)).toBe(false);
    expect((await refused(a2, 'sync:now', {})).code).toBe('SETUP_REQUIRED');

    // During a run: the token expires, the new login with the stored password is refused.
    const state = await ok(a2, 'sync:configure', { ...configure(true, newPassword), serverUrl: server.url });
    expect(state).toMatchObject({ configured: true, passwordRemembered: true, rememberedPasswordDropped: null });
    addUser(server.db, { ...user, password });
    await new Promise((resolve) => setTimeout(resolve, 1700));
    const later = await ok(a2, 'sync:now', {});
    expect(later.ok).toBe(false);
    expect(later.state).toMatchObject({ configured: false, passwordRemembered: false, rememberedPasswordDropped: 'rejected' });
    expect(fs.existsSync(file)).toBe(false);
    expectNoSecret(a2.dataDir);
  });

  it('the axis secret (VDXP) is remembered the same way and resumes the axis, not the provincial server', async () => {
    const axisSecret = 'bi-mat-truc-quoc-gia-2026';
    const axis = await startAxis([{ code: agencyA.code, name: agencyA.name, secret: axisSecret }]);
    try {
      const secrets = aesStore();
      const a = open(tempDir(), secrets);
      await ok(a, 'sync:configure', { protocol: 'vdxp', serverUrl: axis.url, password: axisSecret, remember: true });
      expectNoSecret(a.dataDir, [axisSecret]);
      const a2 = await reopen(a, secrets);
      expect(await ok(a2, 'sync:state', {})).toMatchObject({ configured: true, protocol: 'vdxp', serverUrl: axis.url, username: agencyA.code, passwordRemembered: true });
      expect((await ok(a2, 'sync:now', {})).ok).toBe(true);
      expectNoSecret(a2.dataDir, [axisSecret]);
      expect(logged).not.toContain(axisSecret);
    } finally {
      await axis.close();
    }
  });

  it('asked to remember while the axis is unreachable: remembered after the first successful round', async () => {
    const axisSecret = 'bi-mat-truc-quoc-gia-2026';
    const probe = await startAxis([]);
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const secrets = aesStore();
    const a = open(tempDir(), secrets);
    const state = await ok(a, 'sync:configure', { protocol: 'vdxp', serverUrl: probe.url, password: axisSecret, remember: true });
    expect(state).toMatchObject({ configured: true, passwordRemembered: false });
    const axis = await startAxis([{ code: agencyA.code, name: agencyA.name, secret: axisSecret }], port);
    try {
      expect((await ok(a, 'sync:now', {})).ok).toBe(true);
      expect((await ok(a, 'sync:state', {})).passwordRemembered).toBe(true);
      expectNoSecret(a.dataDir, [axisSecret]);
    } finally {
      await axis.close();
    }
  });
});
