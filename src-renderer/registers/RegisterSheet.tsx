import { memo } from 'react';
import type { RegisterRow } from '../../src-main/api/contract.js';
import { formatDay } from '../format/dates.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { hashes } from '../routing/routes.js';
import type { RegisterColumn, RegisterQuery } from './registerColumns.js';

interface Props {
  /** Prefix of the ids the table is labelled by (two sheets may be in the page: screen and print). */
  id: string;
  query: RegisterQuery;
  agencyName: string | null;
  columns: RegisterColumn[];
  /** Rows in register order, in chunks: each chunk is one <tbody>, rendered once. */
  chunks: RegisterRow[][];
  /** Trích yếu as a link to the document (on screen; the print shows plain text). */
  links: boolean;
  /** "Từ số … đến số …" under the title (the printed register). */
  numbers?: { first: string; last: string } | null;
  className: string;
  /** Another page of rows is on its way. */
  busy?: boolean;
}

/**
 * One register as a titled table (NĐ 30 Phụ lục IV): agency, title, year and range on top;
 * the column headings in <thead> (repeated on every printed page) with the column numbers
 * (1), (2)… under them, as on the paper form; the số column as the row header.
 */
export function RegisterSheet({ id, query, agencyName, columns, chunks, links, numbers, className, busy = false }: Props) {
  const { t } = useI18n();
  const range = query.dateFrom || query.dateTo ? t.regSheetRange(formatDay(query.dateFrom), formatDay(query.dateTo)) : null;
  return (
    <div className={`register-sheet ${className}`} aria-busy={busy}>
      <header className="register-sheet__head">
        {agencyName && <p className="register-sheet__agency">{agencyName}</p>}
        <h2 id={`${id}-title`} className="register-sheet__title">
          {t.regSheetTitle[query.direction]}
          {query.series === 'secret' && ` ${t.regSheetSecret}`}
        </h2>
        <p id={`${id}-period`} className="register-sheet__period">
          {t.regSheetYear(query.year)}
          {range && <span className="register-sheet__line">{range}</span>}
          {numbers && <span className="register-sheet__line">{t.regSheetNumbers(numbers.first, numbers.last)}</span>}
        </p>
      </header>
      <table className={`register-table register-table--${query.direction}`} aria-labelledby={`${id}-title`} aria-describedby={`${id}-period`}>
        <colgroup>
          {columns.map((c) => (
            <col key={c.key} className={`register-col--${c.key}`} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col">
                {c.label}
              </th>
            ))}
          </tr>
          <tr className="register-table__numbers" aria-hidden="true">
            {columns.map((c, i) => (
              <td key={c.key}>({i + 1})</td>
            ))}
          </tr>
        </thead>
        {chunks.map((rows, i) => (
          <RegisterRows key={i} rows={rows} columns={columns} links={links} />
        ))}
      </table>
    </div>
  );
}

/** A chunk of rows; memoised so that appending a chunk renders only the new one. */
const RegisterRows = memo(function RegisterRows({ rows, columns, links }: { rows: RegisterRow[]; columns: RegisterColumn[]; links: boolean }) {
  return (
    <tbody>
      {rows.map((row) => (
        <tr key={row.documentId} className={row.status === 'cancelled' || row.status === 'recalled' ? 'register-row--void' : undefined}>
          {columns.map((c) => {
            const value = c.cell(row);
            if (c.rowHeader) {
              return (
                <th key={c.key} scope="row">
                  {value}
                </th>
              );
            }
            return (
              <td key={c.key} className={c.blank ? 'register-cell--blank' : c.day ? 'register-cell--nowrap' : undefined}>
                {c.subject && links ? <a href={hashes.document(row.documentId)}>{value}</a> : value}
              </td>
            );
          })}
        </tr>
      ))}
    </tbody>
  );
});
