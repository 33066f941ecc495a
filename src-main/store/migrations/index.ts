/**
 * Migrations, one file per version, applied in order inside one transaction each;
 * the database's PRAGMA user_version says which have run.
 */
import type { Database } from 'better-sqlite3';
import * as v1 from './001-initial.js';

export interface Migration {
  version: number;
  sql: string;
  seed?: (db: Database) => void;
}

export const migrations: Migration[] = [{ version: 1, sql: v1.sql, seed: v1.seed }];

export const latestVersion = migrations.length;
