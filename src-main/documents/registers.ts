/** The registers (sổ đăng ký văn bản đến / đi, NĐ 30 Phụ lục IV) of one year, in number order. */
import type { RegisterRow } from '../api/contract.js';
import type { Direction, Page } from '../api/types.js';
import type { Db } from '../store/database.js';
import { formatCode } from './documentRows.js';

interface Row {
  id: number;
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
  note: string | null;
}

export function listRegister(
  db: Db,
  input: { direction: Direction; year: number; offset: number; limit: number },
): Page<RegisterRow> {
  const incoming = input.direction === 'incoming';
  const order = incoming ? 'd.series, d.arrival_number' : 'd.series, CAST(d.code_number AS INTEGER)';
  const filter = incoming ? "d.direction = 'incoming'" : "d.direction = 'outgoing' AND d.status <> 'draft'";
  const rows = db
    .prepare(
      `SELECT d.id, d.series, d.arrival_number, d.arrival_date, d.code_number, d.code_notation, d.document_date, t.name AS type_name,
              d.subject, d.sender_name, d.recipients, d.signer_name, u.name AS unit_name, d.recipient_person, d.note
       FROM documents d JOIN document_types t ON t.id = d.type_id LEFT JOIN units u ON u.id = d.recipient_unit_id
       WHERE ${filter} AND d.register_year = ? ORDER BY ${order} LIMIT ? OFFSET ?`,
    )
    .all(input.year, input.limit, input.offset) as Row[];
  const total = db.prepare(`SELECT count(*) FROM documents d WHERE ${filter} AND d.register_year = ?`).pluck().get(input.year) as number;
  return {
    rows: rows.map((r) => ({
      documentId: r.id,
      number: incoming ? `${r.arrival_number ?? ''}${r.series.endsWith('secret') ? ' (Mật)' : ''}` : formatCode(r.code_number, r.code_notation) ?? '',
      date: (incoming ? r.arrival_date : r.document_date) ?? '',
      party: (incoming ? r.sender_name : r.recipients) ?? '',
      code: formatCode(r.code_number, r.code_notation) ?? '',
      documentDate: r.document_date,
      typeAndSubject: `${r.type_name}: ${r.subject}`,
      handler: (incoming ? [r.unit_name, r.recipient_person].filter(Boolean).join(' – ') : r.signer_name) ?? '',
      note: r.note ?? '',
    })),
    total,
    offset: input.offset,
  };
}
