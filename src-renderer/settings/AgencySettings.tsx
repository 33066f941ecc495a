import { api } from '../api/call.js';
import { useMasterData } from '../app/MasterDataContext.js';
import { RecordEditor } from '../components/RecordEditor.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { agencyFieldSpecs } from '../setup/agencyFields.js';
import { useSave } from './useSave.js';

export function AgencySettings() {
  const { t } = useI18n();
  const { data } = useMasterData();
  const save = useSave();
  const agency = data.agency ?? { name: '', shortName: '', code: '', place: '' };
  return (
    <section className="settings__section" aria-labelledby="agency-title">
      <h2 id="agency-title">{t.agencySection}</h2>
      <RecordEditor
        key={JSON.stringify(agency)}
        label={t.agencySection}
        fields={agencyFieldSpecs(t)}
        initial={{ ...agency }}
        submitLabel={t.save}
        onSubmit={(v) =>
          save(api().agency.update({ name: v.name ?? '', shortName: v.shortName ?? '', code: v.code ?? '', place: v.place ?? '' }))
        }
      />
    </section>
  );
}
