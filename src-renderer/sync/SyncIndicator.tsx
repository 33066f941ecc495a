import { useEffect, useState } from 'react';
import { api, call } from '../api/call.js';
import { errorMessage } from '../api/errorMessages.js';
import { useAnnounce } from '../app/Announcer.js';
import { formatDayTime } from '../format/dates.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { hashes } from '../routing/routes.js';
import { publishSyncState, useSyncState } from './useSyncState.js';

/** Header: online/offline, last sync, what waits, download progress; a click syncs now. Refused items: a link to their list (settings). */
export function SyncIndicator() {
  const { t } = useI18n();
  const announce = useAnnounce();
  const { state, refresh } = useSyncState();
  const [busy, setBusy] = useState(false);

  const syncNow = async (quiet = false) => {
    setBusy(true);
    try {
      const r = await call(api().sync.now({}));
      publishSyncState(r.state);
      if (!quiet) announce(r.ok ? t.syncDone(r.received, r.sent) : t.syncFailed(r.error ?? ''), r.ok ? 'info' : 'error');
    } catch (failure) {
      if (!quiet) announce(errorMessage(failure, t), 'error');
    } finally {
      setBusy(false);
      refresh();
    }
  };

  // Connectivity back: sync at once (Electron also watches this in main).
  const configured = state?.configured ?? false;
  useEffect(() => {
    if (!configured) return;
    const online = () => void syncNow(true);
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, [configured]);

  if (!state) return null;
  if (!state.configured) {
    return (
      <a className="sync sync--off" href={hashes.settings}>
        <span className="sync__dot" aria-hidden="true" />
        {t.syncNotConfigured}
      </a>
    );
  }
  const running = busy || state.running;
  const tone = running ? 'running' : state.online === true ? 'online' : state.online === false ? 'offline' : 'unknown';
  const label = running ? t.syncRunning : state.online === true ? t.syncOnline : state.online === false ? t.syncOffline : t.syncUnknown;
  const details = [
    state.lastSyncAt ? t.syncLast(formatDayTime(state.lastSyncAt)) : t.syncNever,
    state.pendingOutbox > 0 ? t.syncPending(state.pendingOutbox) : '',
    state.pendingIncoming > 0 ? t.syncIncoming(state.pendingIncoming) : '',
    state.pendingRequests > 0 ? t.syncRequests(state.pendingRequests) : '',
    state.receivedElsewhere ? t.syncReceivedElsewhere : '',
    state.downloads.itemsTotal > 0 && running ? t.syncDownloading(state.downloads.itemsDone, state.downloads.itemsTotal) : '',
  ].filter(Boolean);
  return (
    <>
      <button
        type="button"
        className={`sync sync--${tone}`}
        disabled={running}
        aria-label={`${t.syncLabel}: ${label}. ${details.join('. ')}. ${t.syncNowLabel}`}
        title={t.syncNowLabel}
        onClick={() => void syncNow()}
      >
        <span className="sync__dot" aria-hidden="true" />
        <span className="sync__label">{label}</span>
        <span className="sync__details">{details.join(' · ')}</span>
      </button>
      {state.rejectedOutbox > 0 && (
        <a className="sync sync--refused" href={hashes.settings}>
          {t.syncRefused(state.rejectedOutbox)}
        </a>
      )}
    </>
  );
}
