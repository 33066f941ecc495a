import { useCallback, useEffect, useState } from 'react';
import type { SyncRefusal } from '../../src-main/api/types.js';
import { api, call } from '../api/call.js';
import { errorMessage } from '../api/errorMessages.js';
import { useAnnounce } from '../app/Announcer.js';
import { formatDayTime } from '../format/dates.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { hashes } from '../routing/routes.js';
import { useSyncState } from './useSyncState.js';

/**
 * What the exchange server refused (an answer in 4xx) and was therefore not sent: why, in
 * Vietnamese from the server's code, with the server's own words beside it, and "Gửi lại"
 * once the cause is mended. Everything refused (settings), or what concerns one document
 * (its detail page). Reloaded when the number refused or the store changes.
 */
export function SyncRefusals({ documentId }: { documentId?: number }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const { state, refresh } = useSyncState();
  const [refusals, setRefusals] = useState<SyncRefusal[]>([]);
  const [busy, setBusy] = useState(false);
  const refused = state?.rejectedOutbox ?? 0;
  const mark = state?.storeMark ?? '';
  const shown = useCallback((all: SyncRefusal[]) => setRefusals(documentId === undefined ? all : all.filter((r) => r.documentId === documentId)), [documentId]);

  useEffect(() => {
    let live = true;
    call(api().sync.refusals({})).then(
      (all) => live && shown(all),
      () => live && setRefusals([]),
    );
    return () => {
      live = false;
    };
  }, [shown, refused, mark]);

  if (refusals.length === 0) return null;

  const retry = async (id: number) => {
    setBusy(true);
    try {
      shown(await call(api().sync.retry({ id })));
      announce(t.refusalRetried);
      refresh();
    } catch (failure) {
      announce(errorMessage(failure, t), 'error');
    } finally {
      setBusy(false);
    }
  };

  const whole = documentId === undefined;
  return (
    <section className={whole ? 'settings__section' : 'notice notice--error'} aria-labelledby="refusals-title">
      <h2 id="refusals-title">{whole ? t.refusalsTitle : t.refusalsForDocument}</h2>
      {whole && <p>{t.refusalsIntro}</p>}
      <ul className="refusals">
        {refusals.map((r) => (
          <li key={r.id} className="refusals__item">
            <strong>{t.refusalKinds[r.kind] ?? r.kind}</strong>
            {whole && r.documentId !== null && (
              <>
                {' — '}
                <a href={hashes.document(r.documentId)}>{[r.documentCode, r.documentSubject].filter(Boolean).join(' ') || `#${r.documentId}`}</a>
              </>
            )}
            <span className="refusals__why">{(r.code && t.refusalReasons[r.code]) || t.refusalOther}</span>
            <span className="refusals__detail">
              {t.refusalServerSaid(r.reason)} · {t.refusalAt(formatDayTime(r.refusedAt))}
            </span>
            <span>
              <button type="button" disabled={busy} onClick={() => void retry(r.id)}>
                {t.refusalRetry}
              </button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
