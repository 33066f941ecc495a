import { useCallback, useEffect, useState } from 'react';
import type { AppInfo, MasterData } from '../../src-main/api/types.js';
import { api, call } from '../api/call.js';
import { errorMessage } from '../api/errorMessages.js';
import { I18nProvider, savedLang, useI18n } from '../i18n/I18nProvider.js';
import { SetupWizard } from '../setup/SetupWizard.js';
import { AnnouncerProvider } from './Announcer.js';
import { MasterDataProvider } from './MasterDataContext.js';
import { Shell } from './Shell.js';

type Boot = { state: 'loading' } | { state: 'failed'; error: unknown } | { state: 'ready'; info: AppInfo; master: MasterData | null };

async function boot(): Promise<Boot> {
  const info = await call(api().app.info({}));
  const master = info.setupDone ? await call(api().masterData.get({})) : null;
  return { state: 'ready', info, master };
}

/** Loads app info, then shows the first-run setup or the application. */
export function App() {
  const [status, setStatus] = useState<Boot>({ state: 'loading' });
  const load = useCallback(() => {
    setStatus({ state: 'loading' });
    boot().then(setStatus, (error: unknown) => setStatus({ state: 'failed', error }));
  }, []);
  useEffect(load, [load]);

  const lang = savedLang() ?? (status.state === 'ready' ? status.info.locale : 'vi');
  return (
    <I18nProvider key={status.state} initial={lang}>
      <AnnouncerProvider>
        {status.state === 'loading' && <BootMessage />}
        {status.state === 'failed' && <BootFailure error={status.error} onRetry={load} />}
        {status.state === 'ready' && (
          <Ready master={status.master} onSetupDone={(master) => setStatus({ ...status, master })} />
        )}
      </AnnouncerProvider>
    </I18nProvider>
  );
}

function Ready({ master, onSetupDone }: { master: MasterData | null; onSetupDone: (m: MasterData) => void }) {
  if (!master) return <SetupWizard onDone={onSetupDone} />;
  return (
    <MasterDataProvider value={{ data: master, update: onSetupDone }}>
      <Shell />
    </MasterDataProvider>
  );
}

function BootMessage() {
  const { t } = useI18n();
  return <p className="boot-message">{t.loading}</p>;
}

function BootFailure({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <div className="boot-message" role="alert">
      <p>{errorMessage(error, t)}</p>
      <button type="button" onClick={onRetry}>
        {t.retry}
      </button>
    </div>
  );
}
