import type { AuditEntry } from '../../src-main/api/types.js';
import { formatInstant } from '../format/dates.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { auditSummary } from './auditSummary.js';

/** Who did what and when (times in Viet Nam). */
export function AuditHistory({ entries }: { entries: AuditEntry[] }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t.detailHistory}</h2>
      {entries.length === 0 ? (
        <p>{t.detailNoHistory}</p>
      ) : (
        <ol className="history">
          {entries.map((entry) => (
            <li key={entry.id}>
              <time dateTime={entry.at}>{formatInstant(entry.at)}</time> — <strong>{entry.actor}</strong> · {t.auditActions[entry.action] ?? entry.action}
              {auditSummary(entry.summary) && <span className="history__summary">{auditSummary(entry.summary)}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
