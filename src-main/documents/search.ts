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
import { foldVietnamese, searchWords, toMatchExpression } from './fold.js';
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

export function listDocuments(db: Db, input: ListInput): Page<DocumentRecord> {
  const where = whereOf(input.filters);
  const clause = where.sql.length ? `WHERE ${where.sql.join(' AND ')}` : '';
  const order = input.sort === 'oldest' ? 'd.id ASC' : 'd.id DESC';
  const rows = db
    .prepare(`SELECT ${documentColumns} FROM ${documentFrom} ${clause} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
    .all({ ...where.params, limit: input.limit, offset: input.offset }) as DocumentRow[];
  const total = db.prepare(`SELECT count(*) FROM documents d ${clause}`).pluck().get(where.params) as number;
  return { rows: toRecords(db, rows), total, offset: input.offset };
}

export function searchDocuments(db: Db, input: SearchInput): Page<SearchHit> {
  const match = toMatchExpression(input.text);
  if (match === null) {
    const page = listDocuments(db, { filters: input.filters, sort: input.sort === 'oldest' ? 'oldest' : 'newest', offset: input.offset, limit: input.limit });
    return { ...page, rows: page.rows.map((r) => ({ ...r, snippet: null })) };
  }
  const where = whereOf(input.filters);
  where.sql.unshift('documents_fts MATCH @match');
  where.params['match'] = match;
  const clause = `WHERE ${where.sql.join(' AND ')}`;
  const order =
    input.sort === 'newest' ? 'd.id DESC' : input.sort === 'oldest' ? 'd.id ASC' : 'bm25(documents_fts, 8.0, 1.0), d.id DESC';
  const from = `documents_fts JOIN documents d ON d.id = documents_fts.rowid JOIN document_types t ON t.id = d.type_id`;
  const rows = db
    .prepare(`SELECT ${documentColumns}, d.body_text FROM ${from} ${clause} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
    .all({ ...where.params, limit: input.limit, offset: input.offset }) as Array<DocumentRow & { body_text: string }>;
  const total = db.prepare(`SELECT count(*) FROM ${from} ${clause}`).pluck().get(where.params) as number;
  const words = searchWords(input.text);
  const records = toRecords(db, rows);
  return {
    rows: records.map((r, i) => ({ ...r, snippet: snippetOf(rows[i]?.body_text ?? '', words) })),
    total,
    offset: input.offset,
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
