import { useState } from 'react';
import { api } from '../api/call.js';
import { useMasterData } from '../app/MasterDataContext.js';
import { RecordEditor } from '../components/RecordEditor.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { useSave } from './useSave.js';

/** The types of Phụ lục III with their abbreviations; contested abbreviations are flagged. */
export function DocumentTypesSettings() {
  const { t } = useI18n();
  const { data } = useMasterData();
  const save = useSave();
  const [editing, setEditing] = useState<number | null>(null);
  return (
    <section className="settings__section" aria-labelledby="types-title">
      <h2 id="types-title">{t.typesSection}</h2>
      <p className="muted">{t.contestedHint}</p>
      <ul className="settings__list">
        {data.documentTypes.map((type) => (
          <li key={type.id}>
            {editing === type.id ? (
              <RecordEditor
                label={t.editType(type.name)}
                fields={[
                  { key: 'name', label: t.typeName, max: 100, required: true },
                  { key: 'abbreviation', label: `${t.typeAbbreviation} ${t.optional}`, max: 10 },
                ]}
                initial={{ name: type.name, abbreviation: type.abbreviation ?? '' }}
                submitLabel={t.save}
                onSubmit={async (v) => {
                  await save(api().documentTypes.save({ id: type.id, name: v.name ?? '', abbreviation: v.abbreviation || null }));
                  setEditing(null);
                }}
                onCancel={() => setEditing(null)}
              />
            ) : (
              <>
                <span>
                  {type.name} <span className="muted">({type.abbreviation ?? '—'})</span>{' '}
                  {type.contested && <span className="badge badge--warning">{t.contested}</span>}
                </span>
                <button type="button" className="button--link" aria-label={t.editType(type.name)} onClick={() => setEditing(type.id)}>
                  {t.edit}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
