/**
 * The registers (sổ đăng ký văn bản đến / đi, NĐ 30 Phụ lục IV) of one year, in number order,
 * a page at a time. A register is one series: the ordinary one, or the secret one (văn bản mật
 * are registered and numbered apart, Điều 15, 22); without `series` both are listed, the
 * ordinary series first. Cancelled and recalled documents keep their line: a number is never
 * reused, so the printed register shows every number of the year.
 *
 * The year's rows are walked through the register indexes (documents_arrival_number,
 * documents_issued_number); a date range filters within the year.
 */
import type { RegisterRow, RegistersListInput } from '../api/contract.js';
import type { DocumentStatus, Page } from '../api/types.js';
import type { Db } from '../store/database.js';
import { cachedStatement } from '../store/statements.js';
import { formatCode } from './documentRows.js';
import { incomingSeries, outgoingSeries } from './numbering.js';

interface Row {
  id: number;
  status: string;
  series: string;
  arrival_number: number | null;
  arrival_date: string | null;
  code_number: string | null;
  code_notation: string | null;
  document_date: string | null;
  type_name: string;
  subject: string;
  sender_name: string | null;
  recipients: string | null;
  signer_name: string | null;
  unit_name: string | null;
  recipient_person: string | null;
  drafting_unit_name: string | null;
  note: string | null;
}

type Query = Pick<RegistersListInput, 'direction' | 'year' | 'series' | 'dateFrom' | 'dateTo'>;

const secretIncoming = incomingSeries(1); // in-secret
const secretOutgoing = outgoingSeries('single', 0, 1); // out-secret (per type: out-secret:<type>)
const ordinaryOutgoing = outgoingSeries('single', 0, 0); // out (per type: out:<type>)

function isSecret(series: string): boolean {
  return series === secretIncoming || series === secretOutgoing || series.startsWith(`${secretOutgoing}:`);
}

/** The WHERE clause of a register (constant SQL for each shape of query; values are bound). */
function whereClause(q: Query): string {
  const incoming = q.direction === 'incoming';
  const parts = incoming
    ? ["d.direction = 'incoming'", 'd.register_year = @year', 'd.arrival_number IS NOT NULL']
    : ["d.direction = 'outgoing'", "d.status <> 'draft'", 'd.register_year = @year'];
  if (q.series) {
    const secret = q.series === 'secret';
    if (incoming) parts.push(`d.series = '${secret ? secretIncoming : incomingSeries(0)}'`);
    else {
      const base = secret ? secretOutgoing : ordinaryOutgoing;
      parts.push(`(d.series = '${base}' OR d.series LIKE '${base}:%')`);
    }
  }
  const day = incoming ? 'd.arrival_date' : 'd.document_date';
  if (q.dateFrom) parts.push(`${day} >= @dateFrom`);
  if (q.dateTo) parts.push(`${day} <= @dateTo`);
  return parts.join(' AND ');
}

function params(q: Query): Record<string, string | number> {
  const out: Record<string, string | number> = { year: q.year };
  if (q.dateFrom) out['dateFrom'] = q.dateFrom;
  if (q.dateTo) out['dateTo'] = q.dateTo;
  return out;
}

/** The SQL of a register page and of its count (exported for the query-plan test). */
export function registerSql(q: Query): { page: string; count: string } {
  const where = whereClause(q);
  // Incoming: the index order ('in' < 'in-secret'). Outgoing: ordinary before secret, then the
  // series (one per type in the per-type scheme: 'out:2' before 'out:10'), then the number.
  const order =
    q.direction === 'incoming'
      ? 'd.series, d.arrival_number'
      : `d.series LIKE '${secretOutgoing}%', length(d.series), d.series, CAST(d.code_number AS INTEGER), d.id`;
  return {
    page: `SELECT d.id, d.status, d.series, d.arrival_number, d.arrival_date, d.code_number, d.code_notation, d.document_date,
            t.name AS type_name, d.subject, d.sender_name, d.recipients, d.signer_name, u.name AS unit_name, d.recipient_person,
            du.name AS drafting_unit_name, d.note
     FROM documents d JOIN document_types t ON t.id = d.type_id
       LEFT JOIN units u ON u.id = d.recipient_unit_id LEFT JOIN units du ON du.id = d.drafting_unit_id
     WHERE ${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
    count: `SELECT count(*) AS n FROM documents d WHERE ${where}`,
  };
}

export function listRegister(db: Db, input: Query & { offset: number; limit: number }): Page<RegisterRow> {
  const sql = registerSql(input);
  const rows = cachedStatement(db, sql.page).all({ ...params(input), limit: input.limit, offset: input.offset }) as Row[];
  const total = cachedStatement(db, sql.count).get(params(input)) as { n: number };
  return {
    rows: rows.map((r) => toRegisterRow(r, input.direction === 'incoming', input.series === undefined)),
    total: total.n,
    offset: input.offset,
  };
}

function toRegisterRow(r: Row, incoming: boolean, bothSeries: boolean): RegisterRow {
  const secret = isSecret(r.series);
  const code = formatCode(r.code_number, r.code_notation) ?? '';
  return {
    documentId: r.id,
    number: incoming ? `${r.arrival_number ?? ''}${secret && bothSeries ? ' (Mật)' : ''}` : code,
    date: (incoming ? r.arrival_date : r.document_date) ?? '',
    party: (incoming ? r.sender_name : r.recipients) ?? '',
    code,
    documentDate: r.document_date,
    typeAndSubject: `${r.type_name}: ${r.subject}`,
    handler: (incoming ? [r.unit_name, r.recipient_person].filter(Boolean).join(' – ') : r.signer_name) ?? '',
    keptBy: incoming ? '' : (r.drafting_unit_name ?? ''),
    note: r.note ?? '',
    secret,
    status: r.status as DocumentStatus,
  };
}
