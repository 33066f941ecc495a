import { useState } from 'react';
import { api } from '../api/call.js';
import { useMasterData } from '../app/MasterDataContext.js';
import { RecordEditor, type FieldSpec } from '../components/RecordEditor.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { agencyCodePattern } from '../setup/agencyFields.js';
import { useSave } from './useSave.js';

/** Cơ quan gửi văn bản đến: offered as suggestions for "Nơi gửi". */
export function ExternalAgenciesSettings() {
  const { t } = useI18n();
  const { data } = useMasterData();
  const save = useSave();
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const fields: FieldSpec[] = [
    { key: 'name', label: t.externalName, max: 200, required: true },
    {
      key: 'code',
      label: `${t.externalCode} ${t.optional}`,
      max: 13,
      hint: t.agencyCodeHint,
      check: (v) => (agencyCodePattern.test(v) ? undefined : t.vAgencyCode),
    },
  ];
  const submit = (id: number | undefined) => async (v: Record<string, string>) => {
    await save(api().externalAgencies.save({ ...(id ? { id } : {}), name: v.name ?? '', code: v.code || null }));
    setEditing(null);
  };
  return (
    <section className="settings__section" aria-labelledby="external-title">
      <h2 id="external-title">{t.externalSection}</h2>
      <ul className="settings__list">
        {data.externalAgencies.map((agency) => (
          <li key={agency.id}>
            {editing === agency.id ? (
              <RecordEditor
                label={t.editExternal(agency.name)}
                fields={fields}
                initial={{ name: agency.name, code: agency.code ?? '' }}
                submitLabel={t.save}
                onSubmit={submit(agency.id)}
                onCancel={() => setEditing(null)}
              />
            ) : (
              <>
                <span>
                  {agency.name} {agency.code && <span className="muted">({agency.code})</span>}
                </span>
                <button
                  type="button"
                  className="button--link"
                  aria-label={t.editExternal(agency.name)}
                  onClick={() => setEditing(agency.id)}
                >
                  {t.edit}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      {editing === 'new' ? (
        <RecordEditor
          label={t.newExternal}
          fields={fields}
          initial={{ name: '', code: '' }}
          submitLabel={t.add}
          onSubmit={submit(undefined)}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <button type="button" onClick={() => setEditing('new')}>
          {t.newExternal}
        </button>
      )}
    </section>
  );
}
