/**
 * The lookups the receive path makes for every package go through an index, on the
 * client and on the reference server, so a pull does not slow down as the stores grow
 * (bench/sync.bench.ts measured 4,000 documents at a fifth of the rate of 2,000 while the
 * server scanned its packages for each status). Checked with SQLite's own query plans.
 */
import { describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../src-main/store/database.js';
import { openServerDb } from '../../src-server/store.js';
import { tempDir } from '../helpers.js';
import type Database from 'better-sqlite3';

function plan(db: Database.Database, sql: string): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
}

describe('indexes of the receive path', () => {
  it('client: a received DocumentId and the count of documents waiting for acceptance use indexes', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    try {
      expect(plan(db, "SELECT document_id FROM exchange_documents WHERE edxml_document_id = 'x' AND sender_code = 'y' AND direction = 'incoming'")).toMatch(
        /SEARCH exchange_documents USING (COVERING )?INDEX/,
      );
      expect(plan(db, "SELECT document_id FROM exchange_documents WHERE edxml_document_id = 'x' AND sender_code = 'y'")).toMatch(/SEARCH exchange_documents USING (COVERING )?INDEX/);
      expect(plan(db, "SELECT count(*) FROM documents WHERE direction = 'incoming' AND status = 'pending'")).toMatch(/USING (COVERING )?INDEX documents_pending/);
    } finally {
      closeDatabase(db, dir);
    }
  });

  it('server: the document a status, recall or update is about is found by index', () => {
    const db = openServerDb(tempDir());
    try {
      expect(plan(db, "SELECT id, sender_code FROM packages WHERE document_id = 'x' AND sender_code = 'y' AND kind = 'edoc' AND business_type IN (0, 3)")).toMatch(
        /USING (COVERING )?INDEX packages_document/,
      );
    } finally {
      db.close();
    }
  });
});
