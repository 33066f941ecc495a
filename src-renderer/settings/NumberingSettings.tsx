import type { NumberingScheme } from '../../src-main/api/types.js';
import { api } from '../api/call.js';
import { errorMessage } from '../api/errorMessages.js';
import { useAnnounce } from '../app/Announcer.js';
import { useMasterData } from '../app/MasterDataContext.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { useSave } from './useSave.js';

/** One number series for every outgoing type, or one per type. */
export function NumberingSettings() {
  const { t } = useI18n();
  const { data } = useMasterData();
  const save = useSave();
  const announce = useAnnounce();
  const choose = (scheme: NumberingScheme) =>
    save(api().numbering.setScheme({ scheme })).catch((error: unknown) => announce(errorMessage(error, t), 'error'));
  const options: [NumberingScheme, string][] = [
    ['single', t.numberingSingle],
    ['per-type', t.numberingPerType],
  ];
  return (
    <section className="settings__section" aria-labelledby="numbering-title">
      <fieldset className="radio-group">
        <legend id="numbering-title">
          <h2>{t.numberingSection}</h2>
        </legend>
        {options.map(([scheme, label]) => (
          <label key={scheme} className="radio">
            <input
              type="radio"
              name="numbering"
              value={scheme}
              checked={data.numberingScheme === scheme}
              onChange={() => void choose(scheme)}
            />{' '}
            {label}
          </label>
        ))}
      </fieldset>
    </section>
  );
}
