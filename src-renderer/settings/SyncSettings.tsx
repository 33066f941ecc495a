import { useState, type FormEvent } from 'react';
import { api, call } from '../api/call.js';
import { errorMessage } from '../api/errorMessages.js';
import { useAnnounce } from '../app/Announcer.js';
import { Field } from '../components/Field.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { publishSyncState, useSyncState } from '../sync/useSyncState.js';

/** "Máy chủ liên thông": server address, user name and password (kept in main's memory only). */
export function SyncSettings() {
  const { t } = useI18n();
  const announce = useAnnounce();
  const { state } = useSyncState();
  const [serverUrl, setServerUrl] = useState<string | null>(null);
  const [username, setUsername] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const url = serverUrl ?? state?.serverUrl ?? '';
  const user = username ?? state?.username ?? '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!url.trim() || !user.trim() || !password) return;
    setBusy(true);
    setError(null);
    const entered = password;
    setPassword('');
    try {
      const next = await call(api().sync.configure({ serverUrl: url.trim(), username: user.trim(), password: entered }));
      publishSyncState(next);
      announce(t.syncConnected);
    } catch (failure) {
      setError(errorMessage(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="settings__section" aria-labelledby="sync-title">
      <h2 id="sync-title">{t.syncSection}</h2>
      <form className="form__grid" onSubmit={(e) => void submit(e)} autoComplete="off">
        <Field name="serverUrl" idPrefix="sync" label={t.syncServerUrl} required>
          {(p) => <input {...p} type="url" inputMode="url" spellCheck={false} value={url} placeholder="https://" onChange={(e) => setServerUrl(e.target.value)} />}
        </Field>
        <Field name="username" idPrefix="sync" label={t.syncUsername} required>
          {(p) => <input {...p} type="text" autoComplete="off" spellCheck={false} value={user} onChange={(e) => setUsername(e.target.value)} />}
        </Field>
        <Field name="password" idPrefix="sync" label={t.syncPassword} hint={t.syncPasswordHint} required>
          {(p) => <input {...p} type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <div className="field field--wide">
          {error && (
            <p className="notice notice--error" role="alert">
              {error}
            </p>
          )}
          <div>
            <button type="submit" className="button--primary" disabled={busy || !url.trim() || !user.trim() || !password}>
              {t.syncConnect}
            </button>
          </div>
        </div>
      </form>
    </section>
  );
}
