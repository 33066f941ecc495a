import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { DocumentRecord, Direction } from '../../src-main/api/types.js';
import { api, call } from '../api/call.js';
import { errorMessage } from '../api/errorMessages.js';
import { formatCount } from '../format/dates.js';
import { navigate } from '../routing/useRoute.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { DocumentFilters, type Filters } from './DocumentFilters.js';
import { useSyncState } from '../sync/useSyncState.js';
import { usePagedRows } from './usePagedRows.js';
import { VirtualList } from './VirtualList.js';

interface Props {
  direction: Direction;
  title: string;
  listLabel: string;
  action: { label: string; href: string };
  rowClass: string;
  columns: string[];
  /** The cells of one row (role="cell" elements). */
  cells: (doc: DocumentRecord) => ReactNode;
}

/** A register list (văn bản đến or đi): filters, total, and a virtualised table fetched page by page. */
export function DocumentListPage({ direction, title, listLabel, action, rowClass, columns, cells }: Props) {
  const { t, lang } = useI18n();
  const [filters, setFilters] = useState<Filters>({});
  const queryKey = JSON.stringify(filters);
  const fetchPage = useCallback(
    (offset: number, limit: number) =>
      call(api().documents.list({ filters: { ...filters, direction }, sort: 'newest', offset, limit })),
    [filters, direction],
  );
  const rows = usePagedRows(fetchPage, queryKey);
  // Documents received, verified or changed elsewhere (sync, the other PCs): the rows in view follow.
  const storeMark = useSyncState().state?.storeMark;
  const seenMark = useRef(storeMark);
  const { refresh } = rows;
  useEffect(() => {
    if (storeMark === undefined || storeMark === seenMark.current) return;
    const first = seenMark.current === undefined;
    seenMark.current = storeMark;
    if (!first) refresh();
  }, [storeMark, refresh]);

  const renderRow = (index: number) => {
    const doc = rows.rowAt(index);
    if (!doc) {
      return columns.map((c) => (
        <div key={c} role="cell" className="vcell vcell--placeholder">
          …
        </div>
      ));
    }
    return cells(doc);
  };

  return (
    <section className="page page--list" aria-labelledby="page-title">
      <header className="page__header">
        <h1 id="page-title" tabIndex={-1}>
          {title}
        </h1>
        <button type="button" className="button--primary" onClick={() => navigate(action.href)}>
          {action.label}
        </button>
      </header>
      <DocumentFilters value={filters} onChange={setFilters} withYear />
      <p className="list-total" aria-live="polite">
        {rows.total === null ? t.loading : t.total(formatCount(rows.total, lang))}
      </p>
      {rows.error !== null && (
        <div className="notice notice--error" role="alert">
          {errorMessage(rows.error, t)}{' '}
          <button type="button" onClick={rows.reload}>
            {t.retry}
          </button>
        </div>
      )}
      {rows.total === 0 && <p className="empty">{t.emptyList}</p>}
      {rows.total !== null && rows.total > 0 && (
        <VirtualList
          key={queryKey}
          label={listLabel}
          total={rows.total}
          rowClass={rowClass}
          header={columns.map((c) => (
            <div key={c} role="columnheader" className="vcell">
              {c}
            </div>
          ))}
          renderRow={renderRow}
          onRangeChange={rows.showRange}
        />
      )}
    </section>
  );
}
