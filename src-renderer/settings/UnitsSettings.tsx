import { useState } from 'react';
import { api } from '../api/call.js';
import { useMasterData } from '../app/MasterDataContext.js';
import { RecordEditor } from '../components/RecordEditor.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { unitFieldSpecs } from '../setup/agencyFields.js';
import { useSave } from './useSave.js';

export function UnitsSettings() {
  const { t } = useI18n();
  const { data } = useMasterData();
  const save = useSave();
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const fields = unitFieldSpecs(t);
  const submit = (id: number | undefined) => async (v: Record<string, string>) => {
    await save(api().units.save({ ...(id ? { id } : {}), name: v.name ?? '', shortName: v.shortName ?? '' }));
    setEditing(null);
  };
  return (
    <section className="settings__section" aria-labelledby="units-title">
      <h2 id="units-title">{t.unitsSection}</h2>
      <ul className="settings__list">
        {data.units.map((unit) => (
          <li key={unit.id}>
            {editing === unit.id ? (
              <RecordEditor
                label={t.editUnit(unit.name)}
                fields={fields}
                initial={{ name: unit.name, shortName: unit.shortName }}
                submitLabel={t.save}
                onSubmit={submit(unit.id)}
                onCancel={() => setEditing(null)}
              />
            ) : (
              <>
                <span>
                  {unit.name} <span className="muted">({unit.shortName})</span>
                </span>
                <button type="button" className="button--link" aria-label={t.editUnit(unit.name)} onClick={() => setEditing(unit.id)}>
                  {t.edit}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      {editing === 'new' ? (
        <RecordEditor
          label={t.newUnit}
          fields={fields}
          initial={{ name: '', shortName: '' }}
          submitLabel={t.add}
          onSubmit={submit(undefined)}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <button type="button" onClick={() => setEditing('new')}>
          {t.newUnit}
        </button>
      )}
    </section>
  );
}
