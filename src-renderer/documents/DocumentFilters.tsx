import { useId } from 'react';
import type { ApiInput } from '../../src-main/api/contract.js';
import type { Urgency } from '../../src-main/api/types.js';
import { useMasterData } from '../app/MasterDataContext.js';
import { todayInVietnam } from '../format/dates.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { urgencies, urgencyName } from './labels.js';

export type Filters = NonNullable<ApiInput<'documents:list'>['filters']>;

interface Props {
  value: Filters;
  onChange: (next: Filters) => void;
  withDirection?: boolean;
  withYear?: boolean;
}

const recentYears = (count: number) => {
  const current = Number(todayInVietnam().slice(0, 4));
  return Array.from({ length: count }, (_, i) => current - i);
};

/** Filters shared by the lists and the search page: type, urgency, date range, year, direction. */
export function DocumentFilters({ value, onChange, withDirection = false, withYear = false }: Props) {
  const { t } = useI18n();
  const { data } = useMasterData();
  const id = useId();
  const set = (patch: Partial<Filters>) => {
    const next: Filters = { ...value, ...patch };
    for (const key of Object.keys(next) as (keyof Filters)[]) if (next[key] === undefined) delete next[key];
    onChange(next);
  };
  const active = Object.keys(value).length > 0;

  return (
    <fieldset className="filters">
      <legend>{t.filtersLegend}</legend>
      {withDirection && (
        <div className="filters__field">
          <label htmlFor={`${id}-dir`}>{t.filterDirection}</label>
          <select
            id={`${id}-dir`}
            value={value.direction ?? ''}
            onChange={(e) => set({ direction: e.target.value === '' ? undefined : (e.target.value as 'incoming' | 'outgoing') })}
          >
            <option value="">{t.all}</option>
            <option value="incoming">{t.directionNames.incoming}</option>
            <option value="outgoing">{t.directionNames.outgoing}</option>
          </select>
        </div>
      )}
      <div className="filters__field">
        <label htmlFor={`${id}-type`}>{t.filterType}</label>
        <select
          id={`${id}-type`}
          value={value.typeId ?? ''}
          onChange={(e) => set({ typeId: e.target.value === '' ? undefined : Number(e.target.value) })}
        >
          <option value="">{t.all}</option>
          {data.documentTypes.map((type) => (
            <option key={type.id} value={type.id}>
              {type.name}
            </option>
          ))}
        </select>
      </div>
      <div className="filters__field">
        <label htmlFor={`${id}-urgency`}>{t.filterUrgency}</label>
        <select
          id={`${id}-urgency`}
          value={value.urgency ?? ''}
          onChange={(e) => set({ urgency: e.target.value === '' ? undefined : (Number(e.target.value) as Urgency) })}
        >
          <option value="">{t.all}</option>
          {urgencies.map((u) => (
            <option key={u} value={u}>
              {urgencyName(t, u)}
            </option>
          ))}
        </select>
      </div>
      <div className="filters__field">
        <label htmlFor={`${id}-from`}>{t.filterFrom}</label>
        <input
          id={`${id}-from`}
          type="date"
          value={value.dateFrom ?? ''}
          onChange={(e) => set({ dateFrom: e.target.value || undefined })}
        />
      </div>
      <div className="filters__field">
        <label htmlFor={`${id}-to`}>{t.filterTo}</label>
        <input id={`${id}-to`} type="date" value={value.dateTo ?? ''} onChange={(e) => set({ dateTo: e.target.value || undefined })} />
      </div>
      {withYear && (
        <div className="filters__field">
          <label htmlFor={`${id}-year`}>{t.filterYear}</label>
          <select
            id={`${id}-year`}
            value={value.year ?? ''}
            onChange={(e) => set({ year: e.target.value === '' ? undefined : Number(e.target.value) })}
          >
            <option value="">{t.all}</option>
            {recentYears(10).map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
      )}
      {active && (
        <button type="button" className="button--link filters__clear" onClick={() => onChange({})}>
          {t.clearFilters}
        </button>
      )}
    </fieldset>
  );
}
