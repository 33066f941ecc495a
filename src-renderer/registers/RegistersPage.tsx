import { useMemo, useRef, useState } from 'react';
import { useAnnounce } from '../app/Announcer.js';
import { useMasterData } from '../app/MasterDataContext.js';
import { errorMessage } from '../api/errorMessages.js';
import { formatCount, todayInVietnam } from '../format/dates.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { PrintWarningDialog } from './PrintWarningDialog.js';
import { RegisterSheet } from './RegisterSheet.js';
import { RegisterChoices } from './RegisterChoices.js';
import { rangeProblem, registerColumns, type RegisterQuery } from './registerColumns.js';
import { usePrintRegister } from './usePrintRegister.js';
import { screenPageRows, useRegisterPage } from './useRegisterPage.js';

/**
 * "Sổ đăng ký": one register (văn bản đến or đi, ordinary or secret series) of a year, optionally
 * a date range, shown 100 rows a page, and printed whole with "In sổ" (A4 landscape, see
 * styles/registers.css).
 */
export function RegistersPage() {
  const { t, lang } = useI18n();
  const { data } = useMasterData();
  const announce = useAnnounce();
  const [query, setQuery] = useState<RegisterQuery>(() => ({
    direction: 'incoming',
    year: Number(todayInVietnam().slice(0, 4)),
    series: 'ordinary',
  }));
  const [pageIndex, setPageIndex] = useState(0);
  const fromInput = useRef<HTMLInputElement>(null);
  const valid = rangeProblem(query) === null;
  const screen = useRegisterPage(valid ? query : null, pageIndex);
  const print = usePrintRegister(query);
  const columns = useMemo(() => registerColumns(t, query.direction), [t, query.direction]);
  const screenChunks = useMemo(() => (screen.page ? [screen.page.rows] : []), [screen.page]);

  const choose = (next: RegisterQuery) => {
    setQuery(next);
    setPageIndex(0);
  };
  const total = screen.page?.total ?? null;
  const pages = total === null ? 0 : Math.max(1, Math.ceil(total / screenPageRows));
  const first = pageIndex * screenPageRows;
  const firstPrinted = print.chunks[0]?.[0];
  const lastPrinted = print.chunks.at(-1)?.at(-1);
  const printNumbers = firstPrinted && lastPrinted ? { first: firstPrinted.number, last: lastPrinted.number } : null;
  const busy = print.state.phase === 'preparing' || print.state.phase === 'printing';
  const agencyName = data.agency?.name ?? null;

  const startPrint = () => {
    if (busy) return; // not disabled meanwhile: the button keeps the keyboard focus
    if (!total) {
      announce(t.regPrintNothing);
      return;
    }
    print.start(total);
  };

  return (
    <section className={`page register-page${print.chunks.length > 0 ? ' register-page--printing' : ''}`} aria-labelledby="page-title">
      <header className="page__header no-print">
        <h1 id="page-title" tabIndex={-1}>
          {t.regTitle}
        </h1>
        <div className="page__actions">
          <button type="button" className="button--primary" onClick={startPrint} disabled={!valid || total === null} aria-describedby="register-print-hint">
            {t.regPrint}
          </button>
        </div>
      </header>
      <p id="register-print-hint" className="register-page__hint muted no-print">
        {t.regPrintHint}
      </p>
      <RegisterChoices value={query} onChange={choose} fromRef={fromInput} />

      {print.state.phase === 'preparing' && (
        <div className="register-progress no-print" role="status">
          <label htmlFor="register-progress">{t.regPreparing(formatCount(print.state.loaded, lang), formatCount(print.state.total, lang))}</label>
          <progress id="register-progress" max={print.state.total} value={print.state.loaded} />
          <button type="button" onClick={print.cancel}>
            {t.regPrintStop}
          </button>
        </div>
      )}
      {print.state.phase === 'confirm' && (
        <PrintWarningDialog
          total={print.state.total}
          onCancel={print.cancel}
          onPrintAll={print.confirm}
          onChooseRange={() => {
            print.cancel();
            // After the dialog has closed and given focus back.
            setTimeout(() => fromInput.current?.focus(), 0);
          }}
        />
      )}
      {(screen.error !== null || print.error !== null) && (
        <div className="notice notice--error no-print" role="alert">
          {errorMessage(screen.error ?? print.error, t)}{' '}
          {screen.error !== null && (
            <button type="button" onClick={screen.reload}>
              {t.retry}
            </button>
          )}
        </div>
      )}

      {valid && (
        <p className="list-total no-print" aria-live="polite">
          {total === null
            ? t.loading
            : total === 0
              ? t.regEmpty
              : t.regRows(formatCount(first + 1, lang), formatCount(Math.min(first + screenPageRows, total), lang), formatCount(total, lang))}
        </p>
      )}
      {valid && total !== null && total > 0 && (
        <RegisterSheet
          id="register-screen"
          className="register-sheet--screen"
          query={query}
          agencyName={agencyName}
          columns={columns}
          chunks={screenChunks}
          links
          busy={screen.loading}
        />
      )}
      {pages > 1 && (
        <nav className="pager register-pager no-print" aria-label={t.regPagerLabel}>
          <button type="button" disabled={pageIndex === 0} onClick={() => setPageIndex(0)}>
            {t.regFirstPage}
          </button>
          <button type="button" disabled={pageIndex === 0} onClick={() => setPageIndex(pageIndex - 1)}>
            {t.prevPage}
          </button>
          <span>{t.pageOf(pageIndex + 1, pages)}</span>
          <button type="button" disabled={pageIndex >= pages - 1} onClick={() => setPageIndex(pageIndex + 1)}>
            {t.nextPage}
          </button>
          <button type="button" disabled={pageIndex >= pages - 1} onClick={() => setPageIndex(pages - 1)}>
            {t.regLastPage}
          </button>
        </nav>
      )}
      {print.chunks.length > 0 && (
        <RegisterSheet
          id="register-print"
          className="register-sheet--print"
          query={query}
          agencyName={agencyName}
          columns={columns}
          chunks={print.chunks}
          links={false}
          numbers={printNumbers}
        />
      )}
    </section>
  );
}
