import { errorMessage } from '../api/errorMessages.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { IncomingRegisterForm } from '../incoming/IncomingRegisterForm.js';
import { OutgoingDraftForm } from '../outgoing/OutgoingDraftForm.js';
import { useDocument } from './useDocument.js';

/** Loads a document and opens the form that edits it (incoming, or an outgoing draft). */
export function DocumentEditPage({ id }: { id: number }) {
  const { t } = useI18n();
  const { doc, error } = useDocument(id);
  if (error !== null) {
    return (
      <p className="page notice notice--error" role="alert">
        {errorMessage(error, t)}
      </p>
    );
  }
  if (!doc) return <p className="page">{t.loading}</p>;
  if (doc.direction === 'incoming') return <IncomingRegisterForm editing={doc} />;
  if (doc.status === 'draft') return <OutgoingDraftForm editing={doc} />;
  return (
    <p className="page notice notice--error" role="alert">
      {t.errForbidden}
    </p>
  );
}
