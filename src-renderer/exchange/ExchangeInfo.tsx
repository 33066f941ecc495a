import { useCallback, useEffect, useState } from 'react';
import type { DocumentDetail, ExchangeRequest, ExchangeStatus } from '../../src-main/api/types.js';
import { api, call } from '../api/call.js';
import { errorMessage } from '../api/errorMessages.js';
import { useAnnounce } from '../app/Announcer.js';
import { formatDayTime } from '../format/dates.js';
import { useI18n } from '../i18n/I18nProvider.js';

/** Recall / update / replacement requests the sender made about this received document. */
export function DocumentRequests({ doc, onChanged }: { doc: DocumentDetail; onChanged: () => void }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [requests, setRequests] = useState<ExchangeRequest[]>([]);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    call(api().exchange.requests({})).then(
      (all) => setRequests(all.filter((r) => r.documentId === doc.id)),
      () => setRequests([]),
    );
  }, [doc.id]);
  useEffect(load, [load, doc.updatedAt]);
  if (requests.length === 0) return null;

  const answer = async (requestId: number, agree: boolean) => {
    setBusy(true);
    try {
      const rest = await call(api().exchange.answer({ requestId, agree }));
      setRequests(rest.filter((r) => r.documentId === doc.id));
      announce(t.exAnswered);
      onChanged();
    } catch (failure) {
      announce(errorMessage(failure, t), 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="requests-title" className="notice notice--warning">
      <h2 id="requests-title">{t.exRequests}</h2>
      <ul className="requests">
        {requests.map((r) => (
          <li key={r.id}>
            <strong>{t.exRequestKinds[r.businessType] ?? r.businessType}</strong> — {formatDayTime(r.createdAt)}
            {r.reason && <span className="requests__reason">{r.reason}</span>}
            <span className="requests__actions">
              <button type="button" disabled={busy} onClick={() => void answer(r.id, true)}>
                {t.exAgree}
              </button>
              <button type="button" disabled={busy} onClick={() => void answer(r.id, false)}>
                {t.exRefuse}
              </button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Statuses the recipients sent back for an outgoing document (đã nhận, đã tiếp nhận, trả lại…). */
export function DocumentStatuses({ doc }: { doc: DocumentDetail }) {
  const { t } = useI18n();
  const [statuses, setStatuses] = useState<ExchangeStatus[]>([]);
  useEffect(() => {
    let live = true;
    call(api().exchange.statuses({ id: doc.id })).then(
      (value) => live && setStatuses(value),
      () => live && setStatuses([]),
    );
    return () => {
      live = false;
    };
  }, [doc.id, doc.updatedAt]);
  if (statuses.length === 0) return null;
  return (
    <section aria-labelledby="statuses-title">
      <h2 id="statuses-title">{t.exStatuses}</h2>
      <ol className="history">
        {statuses.map((s, i) => (
          <li key={`${s.organId}-${s.statusCode}-${i}`}>
            <time dateTime={s.at}>{formatDayTime(s.at)}</time> — <strong>{s.organName ?? s.organId}</strong> · {t.exStatusCodes[s.statusCode] ?? s.statusCode}
            {s.description && <span className="history__summary">{s.description}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
