import { useState, type FormEvent } from 'react';
import { api, call } from '../api/call.js';
import { useAnnounce } from '../app/Announcer.js';
import { Field } from '../components/Field.js';
import { useRequest } from '../components/useRequest.js';
import { useMasterData } from '../app/MasterDataContext.js';
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
  const { data: master } = useMasterData();
  const [protocol, setProtocol] = useState<'reference' | 'vdxp' | null>(null);
  const [serverUrl, setServerUrl] = useState<string | null>(null);
  const [username, setUsername] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { busy, run } = useRequest(setError);
  const kind = protocol ?? state?.protocol ?? 'reference';
  const axis = kind === 'vdxp';
  const url = serverUrl ?? state?.serverUrl ?? '';
  const user = username ?? (state?.protocol === 'reference' ? state.username : null) ?? '';
  const ready = url.trim() !== '' && (axis || user.trim() !== '') && password !== '';
  const canRemember = state?.canRemember ?? false;
  const remembered = state?.passwordRemembered ?? false;
  const rememberChecked = canRemember && (remember ?? remembered);
  const dropped = state?.rememberedPasswordDropped ?? null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    setError(null);
    const entered = password;
    setPassword('');
    return run(async () => {
      const next = await call(
        api().sync.configure({ protocol: kind, serverUrl: url.trim(), username: axis ? '' : user.trim(), password: entered, remember: rememberChecked }),
      );
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
        <Field name="protocol" idPrefix="sync" label={t.syncProtocol}>
          {(p) => (
            <select {...p} value={kind} onChange={(e) => setProtocol(e.target.value === 'vdxp' ? 'vdxp' : 'reference')}>
              <option value="reference">{t.syncProtocolReference}</option>
              <option value="vdxp">{t.syncProtocolVdxp}</option>
            </select>
          )}
        </Field>
        <Field name="serverUrl" idPrefix="sync" label={axis ? t.syncAxisUrl : t.syncServerUrl} required>
          {(p) => <input {...p} type="url" inputMode="url" spellCheck={false} value={url} placeholder="https://" onChange={(e) => setServerUrl(e.target.value)} />}
        </Field>
        {axis ? (
          <p className="field field--wide field__hint">{t.syncAxisAgency(master.agency?.code ?? '')}</p>
        ) : (
          <Field name="username" idPrefix="sync" label={t.syncUsername} required>
            {(p) => <input {...p} type="text" autoComplete="off" spellCheck={false} value={user} onChange={(e) => setUsername(e.target.value)} />}
          </Field>
        )}
        <Field name="password" idPrefix="sync" label={axis ? t.syncSecret : t.syncPassword} hint={t.syncPasswordHint} required>
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
            <button type="submit" className="button--primary" disabled={busy || !ready}>
              {t.syncConnect}
            </button>
          </div>
        </div>
      </form>
    </section>
  );
}
