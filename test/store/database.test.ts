import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-main/api/errors.js';
import {
  closeDatabase,
  databasePath,
  listBackups,
  openDatabase,
  restoreLatestBackup,
} from '../../src-main/store/database.js';
import { latestVersion } from '../../src-main/store/migrations/index.js';
import { tempDir } from '../helpers.js';

describe('local store', () => {
  it('creates a WAL database with foreign keys, migrated and seeded', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion);
    expect(db.prepare('SELECT count(*) FROM document_types').pluck().get()).toBe(29);
    expect(db.prepare("SELECT abbreviation FROM document_types WHERE name = 'Công văn'").pluck().get()).toBeNull();
    expect(db.prepare('SELECT name FROM urgency_levels ORDER BY level').pluck().all()).toEqual([
      'Thường', 'Khẩn', 'Thượng khẩn', 'Hỏa tốc', 'Hỏa tốc hẹn giờ',
    ]);
    expect(() => db.prepare('INSERT INTO units (id, name, short_name) VALUES (1, ?, ?)').run('a', 'A')).not.toThrow();
    expect(() => db.prepare("INSERT INTO local_user (id, full_name, position, unit_id) VALUES (1, 'x', 'y', 999)").run()).toThrow(/FOREIGN KEY/);
    closeDatabase(db, dir);
  });

  it('refuses a database written by a newer version and leaves it untouched', () => {
    const dir = tempDir();
    closeDatabase(openDatabase(dir), dir);
    const raw = new Database(databasePath(dir));
    raw.pragma(`user_version = ${latestVersion + 1}`);
    raw.close();
    const before = fs.readFileSync(databasePath(dir));
    expect(() => openDatabase(dir)).toThrow(expect.objectContaining({ code: 'STORE_TOO_NEW' }));
    expect(fs.readFileSync(databasePath(dir)).equals(before)).toBe(true);
  });

  it('marks the store in use while open, so that the next open after a crash checks the whole file', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    const marker = `${databasePath(dir)}.in-use`;
    expect(fs.readFileSync(marker, 'utf8')).toBe(String(process.pid));
    closeDatabase(db, dir);
    expect(fs.existsSync(marker)).toBe(false);
    // A crash leaves the marker; damage outside the register tables is then found too.
    const crashed = openDatabase(dir);
    crashed.exec("CREATE TABLE scratch (x TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) INSERT INTO scratch SELECT hex(randomblob(3000)) FROM n;");
    crashed.pragma('wal_checkpoint(TRUNCATE)');
    const rootPage = crashed.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'scratch'").pluck().get() as number;
    crashed.close();
    const bytes = fs.readFileSync(databasePath(dir));
    bytes.fill(0x33, (rootPage - 1) * 4096, rootPage * 4096);
    fs.writeFileSync(databasePath(dir), bytes);
    expect(() => openDatabase(dir)).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT' }));
    fs.rmSync(marker);
    expect(() => closeDatabase(openDatabase(dir), dir)).not.toThrow();
  });

  it('keeps a backup after a clean shutdown, at most three', () => {
    const dir = tempDir();
    for (let i = 0; i < 5; i += 1) closeDatabase(openDatabase(dir), dir);
    const backups = listBackups(dir);
    expect(backups).toHaveLength(3);
    const copy = new Database(backups.at(-1)!, { readonly: true });
    expect(copy.pragma('quick_check', { simple: true })).toBe('ok');
    copy.close();
  });

  it('detects a damaged file at open and restores the latest backup, keeping the damaged one', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    db.prepare("INSERT INTO settings (key, value) VALUES ('marker', 'before-damage')").run();
    closeDatabase(db, dir);
    // Damage the file: overwrite pages after the header with garbage.
    const file = databasePath(dir);
    const bytes = fs.readFileSync(file);
    bytes.fill(0x5a, 4096, Math.min(bytes.length, 4096 * 6));
    fs.writeFileSync(file, bytes);
    let error: unknown;
    try {
      openDatabase(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('STORE_CORRUPT');
    expect((error as AppError).details).toEqual({ backup: listBackups(dir).at(-1) });
    const { damagedKeptAt } = restoreLatestBackup(dir);
    expect(fs.existsSync(damagedKeptAt)).toBe(true);
    const restored = openDatabase(dir);
    expect(restored.prepare("SELECT value FROM settings WHERE key = 'marker'").pluck().get()).toBe('before-damage');
    closeDatabase(restored, dir);
    expect(path.basename(damagedKeptAt)).toMatch(/^vanthu\.db\.damaged-/);
  });
});
