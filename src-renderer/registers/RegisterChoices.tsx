import { useId, type Ref } from 'react';
import { todayInVietnam } from '../format/dates.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { rangeProblem, yearBounds, type RegisterQuery, type RegisterSeries } from './registerColumns.js';

interface Props {
  value: RegisterQuery;
  onChange: (next: RegisterQuery) => void;
  /** The "Từ ngày" field, focused when the clerk chooses to print a date range. */
  fromRef: Ref<HTMLInputElement>;
}

const recentYears = (count: number) => {
  const current = Number(todayInVietnam().slice(0, 4));
  return Array.from({ length: count }, (_, i) => current - i);
};

/** Which register: văn bản đến or đi, the year, the series (ordinary or secret) and an optional date range. */
export function RegisterChoices({ value, onChange, fromRef }: Props) {
  const { t } = useI18n();
  const id = useId();
  const set = (patch: Partial<RegisterQuery>) => {
    const next: RegisterQuery = { ...value, ...patch };
    if (!next.dateFrom) delete next.dateFrom;
    if (!next.dateTo) delete next.dateTo;
    onChange(next);
  };
  const bounds = yearBounds(value.year);
  const problem = rangeProblem(value);
  const problemText = problem === 'outsideYear' ? t.regRangeOutsideYear : problem === 'reversed' ? t.regRangeReversed : null;
  const years = recentYears(10);
  if (!years.includes(value.year)) years.push(value.year);

  return (
    <fieldset className="filters register-choices no-print">
      <legend>{t.regChoicesLegend}</legend>
      <div className="filters__field">
        <label htmlFor={`${id}-dir`}>{t.regDirection}</label>
        <select id={`${id}-dir`} value={value.direction} onChange={(e) => set({ direction: e.target.value === 'outgoing' ? 'outgoing' : 'incoming' })}>
          <option value="incoming">{t.regDirectionNames.incoming}</option>
          <option value="outgoing">{t.regDirectionNames.outgoing}</option>
        </select>
      </div>
      <div className="filters__field">
        <label htmlFor={`${id}-year`}>{t.regYear}</label>
        <select
          id={`${id}-year`}
          value={value.year}
          // A range of another year would select nothing: it goes with the year.
          onChange={(e) => set({ year: Number(e.target.value), dateFrom: undefined, dateTo: undefined })}
        >
          {years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
      </div>
      <div className="filters__field">
        <label htmlFor={`${id}-series`}>{t.regSeries}</label>
        <select
          id={`${id}-series`}
          value={value.series}
          aria-describedby={value.series === 'secret' ? `${id}-secret-hint` : undefined}
          onChange={(e) => set({ series: e.target.value as RegisterSeries })}
        >
          <option value="ordinary">{t.regSeriesNames.ordinary}</option>
          <option value="secret">{t.regSeriesNames.secret}</option>
        </select>
      </div>
      <div className="filters__field">
        <label htmlFor={`${id}-from`}>{t.regFrom}</label>
        <input
          ref={fromRef}
          id={`${id}-from`}
          type="date"
          min={bounds.min}
          max={bounds.max}
          value={value.dateFrom ?? ''}
          aria-invalid={problem !== null}
          aria-describedby={problemText ? `${id}-range-error` : undefined}
          onChange={(e) => set({ dateFrom: e.target.value || undefined })}
        />
      </div>
      <div className="filters__field">
        <label htmlFor={`${id}-to`}>{t.regTo}</label>
        <input
          id={`${id}-to`}
          type="date"
          min={bounds.min}
          max={bounds.max}
          value={value.dateTo ?? ''}
          aria-invalid={problem !== null}
          aria-describedby={problemText ? `${id}-range-error` : undefined}
          onChange={(e) => set({ dateTo: e.target.value || undefined })}
        />
      </div>
      {(value.dateFrom || value.dateTo) && (
        <button type="button" className="button--link" onClick={() => set({ dateFrom: undefined, dateTo: undefined })}>
          {t.regClearRange}
        </button>
      )}
      {problemText && (
        <p id={`${id}-range-error`} className="register-choices__note register-choices__note--error" role="alert">
          {problemText}
        </p>
      )}
      {value.series === 'secret' && (
        <p id={`${id}-secret-hint`} className="register-choices__note">
          {t.regSecretHint}
        </p>
      )}
    </fieldset>
  );
}
