import { useI18n } from '../i18n/I18nProvider.js';
import { AgencySettings } from './AgencySettings.js';
import { DocumentTypesSettings } from './DocumentTypesSettings.js';
import { ExternalAgenciesSettings } from './ExternalAgenciesSettings.js';
import { NumberingSettings } from './NumberingSettings.js';
import { SyncRefusals } from '../sync/SyncRefusals.js';
import { SyncSettings } from './SyncSettings.js';
import { UnitsSettings } from './UnitsSettings.js';

/** Cài đặt: what the exchange server refused (when anything), master data, numbering scheme, language, exchange server. */
export function SettingsPage() {
  const { t, lang, setLang } = useI18n();
  return (
    <section className="page settings" aria-labelledby="page-title">
      <header className="page__header">
        <h1 id="page-title" tabIndex={-1}>
          {t.settingsTitle}
        </h1>
      </header>
      {/* What the exchange server refused comes first: the header's "refused" link leads here. */}
      <SyncRefusals />
      <section className="settings__section" aria-labelledby="lang-title">
        <h2 id="lang-title">{t.languageSection}</h2>
        <button type="button" lang={lang === 'vi' ? 'en' : 'vi'} onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}>
          {t.switchLanguage}
        </button>
      </section>
      <AgencySettings />
      <UnitsSettings />
      <NumberingSettings />
      <DocumentTypesSettings />
      <ExternalAgenciesSettings />
      <SyncSettings />
    </section>
  );
}
