import { useEffect, useState, type ReactNode } from 'react';
import type { DirectoryEntry, DocumentDetail } from '../../src-main/api/types.js';
import { api, call } from '../api/call.js';
import { errorMessage } from '../api/errorMessages.js';
import { useAnnounce } from '../app/Announcer.js';
import { Modal } from '../components/Modal.js';
import { useRequest } from '../components/useRequest.js';
import { confidentialityName } from '../documents/labels.js';
import { useI18n } from '../i18n/I18nProvider.js';

/** A modal form: the fields, an error if the last attempt failed, Hủy and the submit button. */
function FormDialog({ title, busy, submitLabel, canSubmit, error, onSubmit, onCancel, children }: {
  title: string;
  busy: boolean;
  submitLabel: string;
  canSubmit: boolean;
  error: string | null;
  onSubmit: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Modal
      title={title}
      wide
      locked={busy}
      onCancel={onCancel}
      onSubmit={() => {
        if (canSubmit && !busy) onSubmit();
      }}
      actions={
        <>
          <button type="button" onClick={onCancel} disabled={busy}>
            {t.cancel}
          </button>
          <button type="submit" className="button--primary" disabled={!canSubmit || busy}>
            {submitLabel}
          </button>
        </>
      }
    >
      {children}
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
    </Modal>
  );
}

/** Tiếp nhận / Trả lại for a received document waiting for acceptance (chờ tiếp nhận). */
export function ReceiveActions({ doc, onChanged }: { doc: DocumentDetail; onChanged: () => void }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const acceptRequest = useRequest((message) => announce(message, 'error'));
  const returnRequest = useRequest(setError);
  const busy = acceptRequest.busy || returnRequest.busy;

  const accept = () =>
    acceptRequest.run(async () => {
      const accepted = await call(api().exchange.accept({ id: doc.id }));
      announce(t.exAccepted(String(accepted.arrivalNumber ?? '')));
      onChanged();
    });
  const giveBack = () => {
    setError(null);
    return returnRequest.run(async () => {
      await call(api().exchange.return({ id: doc.id, reason: reason.trim() }));
      setReturning(false);
      announce(t.exReturned);
      onChanged();
    });
  };

  return (
    <>
      <button type="button" className="button--primary" disabled={busy} onClick={() => void accept()}>
        {t.exAccept}
      </button>
      <button type="button" disabled={busy} onClick={() => setReturning(true)}>
        {t.exReturn}
      </button>
      {returning && (
        <FormDialog
          title={t.exReturnTitle}
          busy={busy}
          submitLabel={t.exReturn}
          canSubmit={reason.trim().length > 0}
          error={error}
          onSubmit={() => void giveBack()}
          onCancel={() => setReturning(false)}
        >
          <p>
            <strong>{doc.subject}</strong>
          </p>
          <div className="field">
            <div className="field__label">
              <label htmlFor="return-reason">{t.exReturnReason}</label>
              <span className="field__required" aria-hidden="true">
                *
              </span>
            </div>
            <textarea id="return-reason" rows={3} maxLength={2000} required value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
          </div>
        </FormDialog>
      )}
    </>
  );
}

/** "Gửi liên thông" for an issued outgoing document; a classified one says why it cannot be sent. */
export function SendAction({ doc, onChanged }: { doc: DocumentDetail; onChanged: () => void }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [open, setOpen] = useState(false);
  const [directory, setDirectory] = useState<DirectoryEntry[] | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const { busy, run } = useRequest(setError);

  useEffect(() => {
    if (!open) return;
    let live = true;
    call(api().exchange.directory({})).then(
      (value) => live && setDirectory(value),
      (failure: unknown) => live && setError(errorMessage(failure, t)),
    );
    return () => {
      live = false;
    };
  }, [open, t]);

  if (doc.confidentiality > 0) {
    return (
      <p className="notice notice--warning page__note" role="note">
        {t.exClassified(confidentialityName(t, doc.confidentiality))}
      </p>
    );
  }

  const send = () => {
    setError(null);
    return run(async () => {
      await call(api().exchange.send({ id: doc.id, recipients: chosen }));
      setOpen(false);
      announce(t.exSendQueued);
      onChanged();
    });
  };

  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        {t.exSend}
      </button>
      {open && (
        <FormDialog
          title={t.exSendTitle}
          busy={busy}
          submitLabel={t.exSend}
          canSubmit={chosen.length > 0}
          error={error}
          onSubmit={() => void send()}
          onCancel={() => setOpen(false)}
        >
          <p>
            <strong>{doc.subject}</strong>
          </p>
          {directory === null && !error && <p>{t.loading}</p>}
          {directory?.length === 0 && <p className="notice notice--warning">{t.exNoDirectory}</p>}
          {directory && directory.length > 0 && (
            <fieldset className="recipients">
              <legend>{t.exRecipients}</legend>
              {directory.map((d) => (
                <label key={d.code} className="choice">
                  <input
                    type="checkbox"
                    value={d.code}
                    checked={chosen.includes(d.code)}
                    onChange={(e) => setChosen((list) => (e.target.checked ? [...list, d.code] : list.filter((c) => c !== d.code)))}
                  />{' '}
                  {d.name} <span className="recipients__code">({d.code})</span>
                </label>
              ))}
            </fieldset>
          )}
        </FormDialog>
      )}
    </>
  );
}
