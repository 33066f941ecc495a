/**
 * The reference server's own SQLite store (server.db in the data directory) and its
 * package blobs (packages/<sha256>, written to a temporary name, fsynced, renamed).
 */
import Database from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

export type ServerDb = Database.Database;

const schema = `
CREATE TABLE IF NOT EXISTS agencies (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  parent TEXT
) STRICT;

CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY,
  agency_code TEXT NOT NULL REFERENCES agencies(code),
  username TEXT NOT NULL,
  full_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('clerk', 'leader', 'specialist')),
  salt TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  UNIQUE (agency_code, username)
) STRICT;

CREATE TABLE IF NOT EXISTS tokens (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  pc_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS packages (
  id INTEGER PRIMARY KEY,
  sender_code TEXT NOT NULL REFERENCES agencies(code),
  kind TEXT NOT NULL CHECK (kind IN ('edoc', 'status')),
  business_type INTEGER NOT NULL,
  document_id TEXT NOT NULL,
  about_document_id TEXT,
  status_code TEXT,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL,
  content BLOB                       -- small packages are kept here; others in packages/<sha256>
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS packages_new_document ON packages(sender_code, document_id)
  WHERE kind = 'edoc' AND business_type = 0;
-- Statuses, recalls and updates find the document they are about by sender and DocumentId.
CREATE INDEX IF NOT EXISTS packages_document ON packages(sender_code, document_id);

CREATE TABLE IF NOT EXISTS deliveries (
  id INTEGER PRIMARY KEY,
  package_id INTEGER NOT NULL REFERENCES packages(id),
  recipient_code TEXT NOT NULL REFERENCES agencies(code),
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'fail')),
  reason TEXT,
  acked_at TEXT,
  UNIQUE (package_id, recipient_code)
) STRICT;
CREATE INDEX IF NOT EXISTS deliveries_inbox ON deliveries(recipient_code, state, id);

CREATE TABLE IF NOT EXISTS idempotency (
  agency_code TEXT NOT NULL,
  key TEXT NOT NULL,
  status INTEGER NOT NULL,
  response TEXT NOT NULL,
  PRIMARY KEY (agency_code, key)
) STRICT;

CREATE TABLE IF NOT EXISTS feed (
  seq INTEGER PRIMARY KEY,
  agency_code TEXT NOT NULL,
  client_key TEXT NOT NULL,
  pc_id TEXT NOT NULL,
  username TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_key TEXT NOT NULL,
  op TEXT NOT NULL,
  payload TEXT NOT NULL,
  at TEXT NOT NULL,
  UNIQUE (agency_code, client_key)
) STRICT;
CREATE INDEX IF NOT EXISTS feed_agency ON feed(agency_code, seq);

CREATE TABLE IF NOT EXISTS register_series (
  agency_code TEXT NOT NULL,
  year INTEGER NOT NULL,
  series TEXT NOT NULL,
  holder_pc TEXT,
  last_number INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (agency_code, year, series)
) STRICT;

CREATE TABLE IF NOT EXISTS register_numbers (
  agency_code TEXT NOT NULL,
  year INTEGER NOT NULL,
  series TEXT NOT NULL,
  number INTEGER NOT NULL,
  pc_id TEXT NOT NULL,
  ref TEXT NOT NULL,
  PRIMARY KEY (agency_code, year, series, number)
) STRICT;
`;

export function openServerDb(dataDir: string): ServerDb {
  fs.mkdirSync(path.join(dataDir, 'packages'), { recursive: true });
  const db = new Database(path.join(dataDir, 'server.db'));
  db.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before the request is answered (the server groups commits).
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  db.exec(schema);
  const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('packages') as string[];
  if (!columns.includes('content')) db.exec('ALTER TABLE packages ADD COLUMN content BLOB');
  return db;
}

export class BlobStore {
  constructor(private readonly root: string) {
    fs.mkdirSync(root, { recursive: true });
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('bad blob hash');
    return path.join(this.root, sha256);
  }

  /** Moves a fully written, fsynced temporary file into place under its hash. */
  adopt(tmp: string, sha256: string): void {
    const target = this.pathOf(sha256);
    if (fs.existsSync(target)) fs.rmSync(tmp, { force: true });
    else fs.renameSync(tmp, target);
  }

  /** adopt, then the directory is flushed so that the new name survives a power cut. */
  async adoptDurably(tmp: string, sha256: string): Promise<void> {
    this.adopt(tmp, sha256);
    if (process.platform === 'win32') return;
    const dir = await fsp.open(this.root, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  tempPath(): string {
    return path.join(this.root, `.upload-${process.pid}-${crypto.randomBytes(6).toString('hex')}.tmp`);
  }
}

// ---- passwords and tokens ----

export function hashPassword(password: string, salt = crypto.randomBytes(16).toString('hex')): { salt: string; hash: string } {
  const hash = crypto.scryptSync(password.normalize('NFC'), salt, 32).toString('hex');
  return { salt, hash };
}

export function passwordMatches(password: string, salt: string, expected: string): boolean {
  const { hash } = hashPassword(password, salt);
  return crypto.timingSafeEqual(Buffer.from(hash, 'hex'), Buffer.from(expected, 'hex'));
}

export function tokenHash(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

// ---- provisioning (CLI and tests) ----

export function addAgency(db: ServerDb, code: string, name: string, parent: string | null = null): void {
  db.prepare('INSERT INTO agencies (code, name, parent) VALUES (?, ?, ?) ON CONFLICT(code) DO UPDATE SET name = excluded.name, parent = excluded.parent').run(
    code,
    name,
    parent,
  );
}

export function addUser(
  db: ServerDb,
  user: { agency: string; username: string; fullName: string; role: 'clerk' | 'leader' | 'specialist'; password: string },
): void {
  const { salt, hash } = hashPassword(user.password);
  db.prepare(
    `INSERT INTO users (agency_code, username, full_name, role, salt, password_hash) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(agency_code, username) DO UPDATE SET full_name = excluded.full_name, role = excluded.role,
       salt = excluded.salt, password_hash = excluded.password_hash`,
  ).run(user.agency, user.username, user.fullName, user.role, salt, hash);
}

export interface RegisterLeaseRow {
  year: number;
  series: string;
  holder: string | null;
  lastNumber: number;
}

export function listLeases(db: ServerDb, agency: string): RegisterLeaseRow[] {
  return db
    .prepare('SELECT year, series, holder_pc AS holder, last_number AS lastNumber FROM register_series WHERE agency_code = ? ORDER BY year, series')
    .all(agency) as RegisterLeaseRow[];
}

/**
 * An administrator takes a register back from a PC that cannot release it (broken,
 * stolen, reinstalled): the series goes back to the server, numbering continues after the
 * last number that PC reported. Numbers it took offline and never reported are refused if
 * it ever reports them (NUMBER_TAKEN / NOT_HOLDER), so they show there as rejected.
 */
export function revokeLease(db: ServerDb, agency: string, year: number, series: string): RegisterLeaseRow | null {
  return db.transaction((): RegisterLeaseRow | null => {
    const before = db
      .prepare('SELECT year, series, holder_pc AS holder, last_number AS lastNumber FROM register_series WHERE agency_code = ? AND year = ? AND series = ?')
      .get(agency, year, series) as RegisterLeaseRow | undefined;
    if (!before) return null;
    db.prepare('UPDATE register_series SET holder_pc = NULL WHERE agency_code = ? AND year = ? AND series = ?').run(agency, year, series);
    return before;
  })();
}
