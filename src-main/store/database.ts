/**
 * Opens the local store: one SQLite file in the data directory, WAL, foreign keys,
 * a quick_check at open, migrations in transactions, refusal of a database written
 * by a newer version, and a backup copy after each clean shutdown.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../api/errors.js';
import { createLogger } from '../log.js';
import { copyAtomically } from './atomicFile.js';
import { latestVersion, migrations } from './migrations/index.js';

const log = createLogger('store');
export const databaseFileName = 'vanthu.db';
const backupsKept = 3;

export type Db = Database.Database;

export interface OpenOptions {
  /** Open without creating or migrating (read-only tools). */
  readonly?: boolean;
}

export function databasePath(dataDir: string): string {
  return path.join(dataDir, databaseFileName);
}

export function backupDir(dataDir: string): string {
  return path.join(dataDir, 'backups');
}

export function openDatabase(dataDir: string, options: OpenOptions = {}): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = databasePath(dataDir);
  const db = new Database(file, { readonly: options.readonly ?? false });
  try {
    db.pragma('busy_timeout = 10000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    checkIntegrity(db, dataDir, options.readonly ?? false);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > latestVersion) {
      throw new AppError('STORE_TOO_NEW', `Database version ${version} is newer than this app (${latestVersion})`);
    }
    if (version < latestVersion && !options.readonly) migrate(db, dataDir, version);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof AppError) throw error;
    if (error instanceof Error && /not a database|malformed/i.test(error.message)) {
      throw new AppError('STORE_CORRUPT', error.message, { backup: latestBackup(dataDir) });
    }
    throw error;
  }
}

/**
 * Integrity at open, sized for large stores: the tables that hold the registers are
 * always checked (quick_check per table, well under a second at 100,000 documents);
 * the whole file, search index included, after a session that did not shut down
 * cleanly (its in-use marker is still there). The search index and extracted texts
 * can be rebuilt from documents and files; the registers cannot.
 */
const coreTables = ['settings', 'agency', 'units', 'local_user', 'document_types', 'documents', 'files', 'document_files', 'number_series', 'audit_log'];

function inUseMarker(dataDir: string): string {
  return `${databasePath(dataDir)}.in-use`;
}

function checkIntegrity(db: Db, dataDir: string, readonly: boolean): void {
  const marker = inUseMarker(dataDir);
  const unclean = fs.existsSync(marker);
  const existing = new Set(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]);
  const targets = unclean ? [null] : coreTables.filter((t) => existing.has(t));
  for (const table of targets) {
    const check = db.pragma(table === null ? 'quick_check' : `quick_check(${table})`, { simple: true });
    if (check !== 'ok') {
      throw new AppError('STORE_CORRUPT', `Database failed quick_check${table ? ` of ${table}` : ''}: ${String(check)}`, {
        backup: latestBackup(dataDir),
      });
    }
  }
  if (unclean) log.warn('previous session did not shut down cleanly; full quick_check passed');
  if (!readonly) fs.writeFileSync(marker, String(process.pid));
}

function migrate(db: Db, dataDir: string, from: number): void {
  if (from > 0) copyAtomically(databasePath(dataDir), path.join(backupDir(dataDir), `before-v${from + 1}-${stamp()}.db`));
  for (const m of migrations.filter((x) => x.version > from)) {
    db.transaction(() => {
      db.exec(m.sql);
      m.seed?.(db);
      db.pragma(`user_version = ${m.version}`);
    })();
    log.info('migrated', { version: m.version });
  }
}

/** Clean shutdown: checkpoint, close, keep a backup copy (the last few are kept). */
export function closeDatabase(db: Db, dataDir: string): void {
  if (!db.open) return;
  const writable = !db.readonly;
  if (writable) db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  if (!writable) return;
  fs.rmSync(inUseMarker(dataDir), { force: true });
  copyAtomically(databasePath(dataDir), path.join(backupDir(dataDir), `vanthu-${stamp()}.db`));
  pruneBackups(dataDir);
}

export function listBackups(dataDir: string): string[] {
  const dir = backupDir(dataDir);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith('vanthu-') && f.endsWith('.db'))
    .sort()
    .map((f) => path.join(dir, f));
}

export function latestBackup(dataDir: string): string | null {
  return listBackups(dataDir).at(-1) ?? null;
}

/**
 * Recovery path for a store that failed its check: the damaged file is kept aside
 * (never deleted) and the latest clean-shutdown backup takes its place.
 */
export function restoreLatestBackup(dataDir: string): { restored: string; damagedKeptAt: string } {
  const backup = latestBackup(dataDir);
  if (!backup) throw new AppError('NOT_FOUND', 'No backup to restore');
  const file = databasePath(dataDir);
  const damaged = `${file}.damaged-${stamp()}`;
  if (fs.existsSync(file)) fs.renameSync(file, damaged);
  for (const suffix of ['-wal', '-shm']) {
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, damaged + suffix);
  }
  copyAtomically(backup, file);
  log.warn('restored database from backup', { backup: path.basename(backup) });
  return { restored: backup, damagedKeptAt: damaged };
}

function pruneBackups(dataDir: string): void {
  const all = listBackups(dataDir);
  for (const old of all.slice(0, Math.max(0, all.length - backupsKept))) fs.rmSync(old, { force: true });
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}
