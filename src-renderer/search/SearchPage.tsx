import { useEffect, useState } from 'react';
import type { Page, SearchHit } from '../../src-main/api/types.js';
import { api, call } from '../api/call.js';
import { errorMessage } from '../api/errorMessages.js';
import { DocumentFilters, type Filters } from '../documents/DocumentFilters.js';
import { formatCount } from '../format/dates.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { searchHash, type SearchQuery, type SearchSort } from '../routing/routes.js';
import { navigate } from '../routing/useRoute.js';
import { SearchResults } from './SearchResults.js';

const resultsPerPage = 20;

function filtersOf(query: SearchQuery): Filters {
  const { direction, typeId, urgency, dateFrom, dateTo } = query;
  return Object.fromEntries(
    Object.entries({ direction, typeId, urgency, dateFrom, dateTo }).filter(([, v]) => v !== undefined),
  ) as Filters;
}

/** Results of the header search box, with filters, sort and paging (all kept in the URL). */
export function SearchPage({ query }: { query: SearchQuery }) {
  const { t, lang } = useI18n();
  const [result, setResult] = useState<{ key: string; page: Page<SearchHit> } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const filters = filtersOf(query);
  const key = searchHash(query);
  const active = query.q.trim() !== '' || Object.keys(filters).length > 0;

  useEffect(() => {
    if (!active) return;
    let live = true;
    setError(null);
    call(
      api().search.query({
        text: query.q,
        filters,
        sort: query.sort,
        offset: (query.page - 1) * resultsPerPage,
        limit: resultsPerPage,
      }),
    ).then(
      (page) => live && setResult({ key, page }),
      (failure: unknown) => live && setError(failure),
    );
    return () => {
      live = false;
    };
  }, [key, active]); // `key` encodes the whole query

  const update = (patch: Partial<SearchQuery>) => navigate(searchHash({ ...query, page: 1, ...patch }));
  const setFilters = (next: Filters) =>
    update({ direction: undefined, typeId: undefined, urgency: undefined, dateFrom: undefined, dateTo: undefined, ...next });

  const page = result?.page;
  const pages = page ? Math.max(1, Math.ceil(page.total / resultsPerPage)) : 1;
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page__header">
        <h1 id="page-title" tabIndex={-1}>
          {t.searchTitle}
        </h1>
      </header>
      <div className="search-controls">
        <DocumentFilters value={filters} onChange={setFilters} withDirection />
        <div className="filters__field">
          <label htmlFor="search-sort">{t.sortLabel}</label>
          <select id="search-sort" value={query.sort} onChange={(e) => update({ sort: e.target.value as SearchSort })}>
            <option value="relevance">{t.sortRelevance}</option>
            <option value="newest">{t.sortNewest}</option>
            <option value="oldest">{t.sortOldest}</option>
          </select>
        </div>
      </div>
      <p className="list-total" aria-live="polite">
        {!active ? t.searchHint : error !== null ? '' : !page ? t.searching : t.results(formatCount(page.total, lang), page.totalIsLowerBound === true)}
      </p>
      {active && error !== null && (
        <p className="notice notice--error" role="alert">
          {errorMessage(error, t)}
        </p>
      )}
      {active && page && (
        <>
          {page.total === 0 ? <p className="empty">{t.noResults}</p> : <SearchResults hits={page.rows} stale={result.key !== key} />}
          {pages > 1 && (
            <nav className="pager" aria-label={t.resultsLabel}>
              <button type="button" disabled={query.page <= 1} onClick={() => update({ page: query.page - 1 })}>
                {t.prevPage}
              </button>
              <span>{t.pageOf(query.page, pages)}</span>
              <button type="button" disabled={query.page >= pages} onClick={() => update({ page: query.page + 1 })}>
                {t.nextPage}
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}
