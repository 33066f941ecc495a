import { useEffect, useRef } from 'react';
import type { DocumentRecord } from '../../src-main/api/types.js';
import { codeOf } from '../documents/labels.js';
import { formatDay } from '../format/dates.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { hashes } from '../routing/routes.js';

interface Props {
  duplicates: DocumentRecord[];
  busy: boolean;
  onConfirm: () => void;
  onBack: () => void;
}

/** "Văn bản này có thể đã được vào sổ": the existing documents, and a way to register anyway. */
export function DuplicateWarning({ duplicates, busy, onConfirm, onBack }: Props) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.scrollIntoView({ block: 'center' });
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <section className="notice notice--warning" role="alert" aria-labelledby="dup-title">
      <h2 id="dup-title" ref={heading} tabIndex={-1}>
        {t.dupTitle}
      </h2>
      <p>{t.dupIntro}</p>
      <ul className="dup-list">
        {duplicates.map((doc) => (
          <li key={doc.id}>
            <a href={hashes.document(doc.id)} target="_self">
              {doc.subject}
            </a>{' '}
            — {codeOf(doc)}, {doc.senderName}, {formatDay(doc.documentDate)}.{' '}
            {t.dupItem(String(doc.arrivalNumber ?? '—'), formatDay(doc.arrivalDate))}
          </li>
        ))}
      </ul>
      <div className="form__actions">
        <button type="button" className="button--primary" disabled={busy} onClick={onConfirm}>
          {t.dupConfirm}
        </button>
        <button type="button" onClick={onBack}>
          {t.dupBack}
        </button>
      </div>
    </section>
  );
}
