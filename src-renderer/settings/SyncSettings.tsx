import { useState, type FormEvent } from 'react';
import { api, call } from '../api/call.js';
import { useAnnounce } from '../app/Announcer.js';
import { Field } from '../components/Field.js';
import { useRequest } from '../components/useRequest.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { publishSyncState, useSyncState } from '../sync/useSyncState.js';

/**
 * "Máy chủ liên thông": server address, user name and password. The password goes to main
 * only (never back); main keeps it in memory, or encrypted with the OS keyring when
 * "remember" is chosen and the host can (state.canRemember: the app, not the preview).
 */
export function SyncSettings() {
  const { t } = useI18n();
  const announce = useAnnounce();
  const { state } = useSyncState();
  const [serverUrl, setServerUrl] = useState<string | null>(null);
  const [username, setUsername] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { busy, run } = useRequest(setError);
  const url = serverUrl ?? state?.serverUrl ?? '';
  const user = username ?? state?.username ?? '';
  const canRemember = state?.canRemember ?? false;
  const remembered = state?.passwordRemembered ?? false;
  const rememberChecked = canRemember && (remember ?? remembered);
  const dropped = state?.rememberedPasswordDropped ?? null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!url.trim() || !user.trim() || !password) return;
    setError(null);
    const entered = password;
    setPassword('');
    return run(async () => {
      const next = await call(api().sync.configure({ serverUrl: url.trim(), username: user.trim(), password: entered, remember: rememberChecked }));
      publishSyncState(next);
      setRemember(null);
      announce(t.syncConnected);
    });
  };

  const forget = () => {
    setError(null);
    return run(async () => {
      const next = await call(api().sync.forget({}));
      publishSyncState(next);
      setRemember(null);
      announce(t.syncForgotten);
    });
  };

  return (
    <section className="settings__section" aria-labelledby="sync-title">
      <h2 id="sync-title">{t.syncSection}</h2>
      {dropped && (
        <p className="notice notice--warning" role="status">
          {dropped === 'rejected' ? t.syncRememberedRejected : t.syncRememberedUnreadable}
        </p>
      )}
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
          <label className="choice" htmlFor="sync-remember">
            <input
              id="sync-remember"
              name="remember"
              type="checkbox"
              checked={rememberChecked}
              disabled={!canRemember}
              aria-describedby="sync-remember-hint"
              onChange={(e) => setRemember(e.target.checked)}
            />{' '}
            {t.syncRemember}
          </label>
          <p id="sync-remember-hint" className="field__hint">
            {canRemember ? t.syncRememberHint : t.syncRememberUnavailable}
          </p>
          {remembered && (
            <p className="field__hint">
              {t.syncRemembered}{' '}
              <button type="button" className="button--link" onClick={() => void forget()} disabled={busy}>
                {t.syncForget}
              </button>
            </p>
          )}
        </div>
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
