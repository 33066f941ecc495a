/**
 * Prepared statements compiled once per connection. Compiling a statement costs more
 * than running a small one, and the receive path runs a dozen per delivery, so hot
 * paths (registration, the audit log, the outbox, the server's routes) take their
 * statements from here. A cached statement is shared: it comes back with pluck off,
 * and must not be bound permanently (`bind`) or iterated (a second user would find it busy).
 */
import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';

const caches = new WeakMap<Database.Database, Map<string, Statement>>();

export function cachedStatement(db: Database.Database, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let s = cache.get(sql);
  if (!s) cache.set(sql, (s = db.prepare(sql)));
  else if (s.reader) s.pluck(false);
  return s;
}
