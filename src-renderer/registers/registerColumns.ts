/**
 * The columns of the registers, as NĐ 30/2020 Phụ lục IV prints them, and what our data
 * puts in each. Columns we hold no data for (Ký nhận, Số lượng bản, Ngày chuyển) stay empty,
 * to be filled in by hand on the printed register. Pure, tested in registerColumns.test.ts.
 */
import type { RegisterRow } from '../../src-main/api/contract.js';
import type { Direction } from '../../src-main/api/types.js';
import { formatDay } from '../format/dates.js';
import type { Messages } from '../i18n/vi.js';

export type RegisterSeries = 'ordinary' | 'secret';

/** What the clerk chose: one register (series) of one year, optionally a date range. */
export interface RegisterQuery {
  direction: Direction;
  year: number;
  series: RegisterSeries;
  dateFrom?: string;
  dateTo?: string;
}

export type IncomingColumn = keyof Messages['regColsIncoming'];
export type OutgoingColumn = keyof Messages['regColsOutgoing'];

export interface RegisterColumn {
  key: string;
  label: string;
  /** The cell is the row's header for screen readers (số đến, số ký hiệu). */
  rowHeader?: boolean;
  /** Left empty for handwriting on the printed register. */
  blank?: boolean;
  /** The cell holds the trích yếu, shown as a link to the document on screen. */
  subject?: boolean;
  /** A date: kept on one line. */
  day?: boolean;
  cell: (row: RegisterRow) => string;
}

/** Ghi chú, with the document's state first when it no longer stands (hủy, thu hồi). */
function noteOf(t: Messages, row: RegisterRow): string {
  const state = row.status === 'cancelled' || row.status === 'recalled' ? t.statusNames[row.status] : '';
  return [state, row.note].filter(Boolean).join('. ');
}

const blank = () => '';

export function registerColumns(t: Messages, direction: Direction): RegisterColumn[] {
  if (direction === 'incoming') {
    const c = t.regColsIncoming;
    return [
      { key: 'arrivalDate', label: c.arrivalDate, day: true, cell: (r) => formatDay(r.date) },
      { key: 'arrivalNumber', label: c.arrivalNumber, rowHeader: true, cell: (r) => r.number },
      { key: 'author', label: c.author, cell: (r) => r.party },
      { key: 'code', label: c.code, cell: (r) => r.code },
      { key: 'documentDate', label: c.documentDate, day: true, cell: (r) => formatDay(r.documentDate) },
      { key: 'subject', label: c.subject, subject: true, cell: (r) => r.typeAndSubject },
      { key: 'receiver', label: c.receiver, cell: (r) => r.handler },
      { key: 'signature', label: c.signature, blank: true, cell: blank },
      { key: 'note', label: c.note, cell: (r) => noteOf(t, r) },
    ];
  }
  const c = t.regColsOutgoing;
  return [
    { key: 'code', label: c.code, rowHeader: true, cell: (r) => r.number },
    { key: 'documentDate', label: c.documentDate, day: true, cell: (r) => formatDay(r.date) },
    { key: 'subject', label: c.subject, subject: true, cell: (r) => r.typeAndSubject },
    { key: 'signer', label: c.signer, cell: (r) => r.handler },
    { key: 'recipients', label: c.recipients, cell: (r) => r.party },
    { key: 'keptBy', label: c.keptBy, cell: (r) => r.keptBy },
    { key: 'copies', label: c.copies, blank: true, cell: blank },
    { key: 'sentDate', label: c.sentDate, blank: true, cell: blank },
    { key: 'signature', label: c.signature, blank: true, cell: blank },
    { key: 'note', label: c.note, cell: (r) => noteOf(t, r) },
  ];
}

/** Above this many rows, printing asks first and offers a date range instead. */
export const printWarnRows = 3000;

/** Rows fetched from main per call when preparing a print (the channel's maximum page). */
export const printChunkRows = 500;

/** The input of registers:list for a query and a page. */
export function listInput(q: RegisterQuery, offset: number, limit: number) {
  return {
    direction: q.direction,
    year: q.year,
    series: q.series,
    ...(q.dateFrom ? { dateFrom: q.dateFrom } : {}),
    ...(q.dateTo ? { dateTo: q.dateTo } : {}),
    offset,
    limit,
  };
}

/** The first and last day of the register's year, bounds of its date range. */
export function yearBounds(year: number): { min: string; max: string } {
  return { min: `${year}-01-01`, max: `${year}-12-31` };
}

/** A date range the query can use: inside the year and not reversed; null when it is not. */
export function rangeProblem(q: RegisterQuery): 'outsideYear' | 'reversed' | null {
  const { min, max } = yearBounds(q.year);
  for (const day of [q.dateFrom, q.dateTo]) if (day && (day < min || day > max)) return 'outsideYear';
  if (q.dateFrom && q.dateTo && q.dateFrom > q.dateTo) return 'reversed';
  return null;
}
