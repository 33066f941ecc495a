/**
 * Migrations, one file per version, applied in order inside one transaction each;
 * the database's PRAGMA user_version says which have run.
 */
import type { Database } from 'better-sqlite3';
import * as v1 from './001-initial.js';
import * as v2 from './002-sync.js';
import * as v3 from './003-received-signatures.js';
import * as v4 from './004-pending-index.js';
import * as v5 from './005-verification-queue.js';
import * as v6 from './006-outbox-refusals.js';

export interface Migration {
  version: number;
  sql: string;
  seed?: (db: Database) => void;
}

export const migrations: Migration[] = [
  { version: 1, sql: v1.sql, seed: v1.seed },
  { version: 2, sql: v2.sql },
  { version: 3, sql: v3.sql },
  { version: 4, sql: v4.sql },
  { version: 5, sql: v5.sql },
  { version: 6, sql: v6.sql },
];

export const latestVersion = migrations.length;
