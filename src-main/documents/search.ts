/**
 * Lists and full-text search. Search runs on FTS5 over folded text (fold.ts), so
 * "cong van den" finds "Công văn đến" whatever its Unicode normalisation; the last
 * word (or every word) matches as a prefix while the user types. Filters are
 * applied in SQL on the documents table; results are paged.
 */
import type { DocumentFilters, ListInput, SearchInput } from '../api/contract.js';
import type { DocumentRecord, Page, SearchHit } from '../api/types.js';
import type { Db } from '../store/database.js';
import { documentColumns, documentFrom, toRecords, type DocumentRow } from './documentRows.js';
import { foldVietnamese, searchWords } from './fold.js';
import { matchExpression } from './searchQuery.js';
import { senderKey } from './incomingRegister.js';

interface Where {
  sql: string[];
  params: Record<string, string | number>;
}

function whereOf(filters: DocumentFilters): Where {
  const where: Where = { sql: [], params: {} };
  const add = (condition: string, name: string, value: string | number | undefined): void => {
    if (value === undefined || value === '') return;
    where.sql.push(condition);
    where.params[name] = value;
  };
  add('d.direction = @direction', 'direction', filters.direction);
  add('d.type_id = @typeId', 'typeId', filters.typeId);
  add('d.urgency = @urgency', 'urgency', filters.urgency);
  add('d.status = @status', 'status', filters.status);
  add('d.register_year = @year', 'year', filters.year);
  add("d.sender_key LIKE @sender ESCAPE '\\'", 'sender', filters.sender ? `%${escapeLike(senderKey(filters.sender))}%` : undefined);
  add('coalesce(d.arrival_date, d.document_date) >= @dateFrom', 'dateFrom', filters.dateFrom);
  add('coalesce(d.arrival_date, d.document_date) <= @dateTo', 'dateTo', filters.dateTo);
  return where;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Pages are cut on ids first (the (direction, id) index covers the common list),
 * then only the page's rows are read.
 */
export function listDocuments(db: Db, input: ListInput): Page<DocumentRecord> {
  const where = whereOf(input.filters);
  const clause = where.sql.length ? `WHERE ${where.sql.join(' AND ')}` : '';
  const direction = input.sort === 'oldest' ? 'ASC' : 'DESC';
  const ids = pageIds(db, clause, where.params, direction, input.offset, input.limit);
  const total = cachedUntilChange(db, `list:${clause}:${JSON.stringify(where.params)}`, () =>
    db.prepare(`SELECT count(*) FROM documents d ${clause}`).pluck().get(where.params) as number,
  );
  return { rows: recordsByIds(db, ids), total, offset: input.offset };
}

/** Every how many positions of a list the id is remembered (see pageIds). */
export const checkpointEvery = 1000;

/**
 * The ids of one page. OFFSET walks the index from the start, so a deep page of a
 * 100,000-row register would cost milliseconds; instead the id at every 1,000th
 * position is computed once (until the database changes) and a page walks at most
 * 1,000 entries from the nearest one.
 */
function pageIds(db: Db, clause: string, params: Where['params'], order: 'ASC' | 'DESC', offset: number, limit: number): number[] {
  const mark = Math.floor(offset / checkpointEvery);
  if (mark === 0) {
    return db.prepare(`SELECT d.id FROM documents d ${clause} ORDER BY d.id ${order} LIMIT @limit OFFSET @offset`).pluck().all({ ...params, limit, offset }) as number[];
  }
  const marks = cachedUntilChange(db, `marks:${order}:${clause}:${JSON.stringify(params)}`, () =>
    db
      .prepare(
        `SELECT id FROM (SELECT d.id AS id, row_number() OVER (ORDER BY d.id ${order}) - 1 AS position FROM documents d ${clause})
         WHERE position % ${checkpointEvery} = 0 ORDER BY position`,
      )
      .pluck()
      .all(params) as number[],
  );
  const anchor = marks[mark];
  if (anchor === undefined) return [];
  const from = `d.id ${order === 'DESC' ? '<=' : '>='} @anchor`;
  const where = clause ? `${clause} AND ${from}` : `WHERE ${from}`;
  return db
    .prepare(`SELECT d.id FROM documents d ${where} ORDER BY d.id ${order} LIMIT @limit OFFSET @rest`)
    .pluck()
    .all({ ...params, anchor, limit, rest: offset - mark * checkpointEvery }) as number[];
}

function recordsByIds(db: Db, ids: number[]): DocumentRecord[] {
  if (ids.length === 0) return [];
  const rows = db
    .prepare(`SELECT ${documentColumns} FROM ${documentFrom} WHERE d.id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(ids)) as DocumentRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return toRecords(db, ids.map((id) => byId.get(id)).filter((r): r is DocumentRow => r !== undefined));
}

/**
 * Totals (and list checkpoints) are recomputed only when the database changed: `data_version` moves when
 * another connection writes, `total_changes()` when this one does. Scrolling a
 * list then costs one page read, not a count of the whole register each time.
 */
const memo = new WeakMap<Db, Map<string, { stamp: string; value: unknown }>>();

function cachedUntilChange<T>(db: Db, key: string, compute: () => T): T {
  const stamp = `${db.pragma('data_version', { simple: true }) as number}:${db.prepare('SELECT total_changes()').pluck().get() as number}`;
  let cache = memo.get(db);
  if (!cache) memo.set(db, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp) return hit.value as T;
  const value = compute();
  if (cache.size > 50) cache.clear();
  cache.set(key, { stamp, value });
  return value;
}

/** Search counts matches up to this many; past it the total is a lower bound. */
export const searchCountCap = 500;

/**
 * Relevance for a register: documents whose metadata (trích yếu, số/ký hiệu, nơi
 * gửi…) hold every word come first, then those matched only in their text; newest
 * first within each tier. Each tier walks an FTS index in rowid order and stops at
 * the page, so a query matching most of the store costs no more than a rare one.
 * `newest`/`oldest` ignore the tiers.
 */
export function searchDocuments(db: Db, input: SearchInput): Page<SearchHit> {
  const match = matchExpression(db, input.text);
  if (match === null) {
    const page = listDocuments(db, { filters: input.filters, sort: input.sort === 'oldest' ? 'oldest' : 'newest', offset: input.offset, limit: input.limit });
    return { ...page, rows: page.rows.map((r) => ({ ...r, snippet: null })) };
  }
  const where = whereOf(input.filters);
  const filters = where.sql.length ? `AND ${where.sql.join(' AND ')}` : '';
  const need = input.offset + input.limit;
  const idsMatching = (table: 'documents_fts' | 'documents_meta_fts', order: 'ASC' | 'DESC', limit: number): number[] =>
    db
      .prepare(
        `SELECT f.rowid FROM ${table} f JOIN documents d ON d.id = f.rowid
         WHERE ${table} MATCH @match ${filters} ORDER BY f.rowid ${order} LIMIT @limit`,
      )
      .pluck()
      .all({ ...where.params, match, limit }) as number[];
  let ids: number[];
  if (input.sort === 'relevance') {
    ids = idsMatching('documents_meta_fts', 'DESC', need);
    if (ids.length < need) {
      const inMeta = new Set(ids);
      const rest = idsMatching('documents_fts', 'DESC', need + ids.length).filter((id) => !inMeta.has(id));
      ids = ids.concat(rest.slice(0, need - ids.length));
    }
  } else {
    ids = idsMatching('documents_fts', input.sort === 'oldest' ? 'ASC' : 'DESC', need);
  }
  ids = ids.slice(input.offset);
  // A first page that is not full already says how many there are.
  const exact = input.offset === 0 && ids.length < input.limit;
  const total = exact
    ? ids.length
    : cachedUntilChange(db, `search:${match}:${filters}:${JSON.stringify(where.params)}`, () =>
        db
          .prepare(
            `SELECT count(*) FROM (SELECT 1 FROM documents_fts f JOIN documents d ON d.id = f.rowid
             WHERE documents_fts MATCH @match ${filters} LIMIT @cap)`,
          )
          .pluck()
          .get({ ...where.params, match, cap: searchCountCap + 1 }) as number,
      );
  const bodies = new Map(
    (
      db
        .prepare('SELECT document_id, body FROM document_texts WHERE document_id IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify(ids)) as Array<{ document_id: number; body: string }>
    ).map((r) => [r.document_id, r.body]),
  );
  const words = searchWords(input.text);
  return {
    rows: recordsByIds(db, ids).map((r) => ({ ...r, snippet: snippetOf(bodies.get(r.id) ?? '', words) })),
    total: Math.min(total, searchCountCap),
    offset: input.offset,
    totalIsLowerBound: total > searchCountCap,
  };
}

/**
 * A short excerpt of the body around the first matched word. Folding keeps one
 * UTF-16 unit per unit of NFC Vietnamese text, so positions found in the folded
 * text are positions in the original.
 */
export function snippetOf(body: string, words: string[], radius = 80): string | null {
  if (!body || words.length === 0) return null;
  const folded = foldVietnamese(body);
  if (folded.length !== body.length) return null;
  let at = -1;
  for (const w of words) {
    const i = folded.indexOf(w);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  if (at < 0) return null;
  const start = Math.max(0, at - radius);
  const end = Math.min(body.length, at + radius);
  return `${start > 0 ? '…' : ''}${body.slice(start, end).replace(/\s+/g, ' ').trim()}${end < body.length ? '…' : ''}`;
}
