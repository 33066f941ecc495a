import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { DirectoryEntry, DocumentDetail } from '../../src-main/api/types.js';
import { api, call } from '../api/call.js';
import { errorMessage } from '../api/errorMessages.js';
import { useAnnounce } from '../app/Announcer.js';
import { confidentialityName } from '../documents/labels.js';
import { useI18n } from '../i18n/I18nProvider.js';

/** A modal form on the native <dialog> (focus trapped, Esc cancels). */
function FormDialog({ id, title, busy, submitLabel, canSubmit, error, onSubmit, onCancel, children }: {
  id: string;
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
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
    return () => el?.close();
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (canSubmit && !busy) onSubmit();
  };
  return (
    <dialog
      ref={dialog}
      className="dialog dialog--wide"
      aria-labelledby={`${id}-title`}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <form className="dialog__body" onSubmit={submit}>
        {children}
        {error && (
          <p className="notice notice--error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" onClick={onCancel} disabled={busy}>
            {t.cancel}
          </button>
          <button type="submit" className="button--primary" disabled={!canSubmit || busy}>
            {submitLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** Tiếp nhận / Trả lại for a received document waiting for acceptance (chờ tiếp nhận). */
export function ReceiveActions({ doc, onChanged }: { doc: DocumentDetail; onChanged: () => void }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [busy, setBusy] = useState(false);
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);

  const accept = async () => {
    setBusy(true);
    try {
      const accepted = await call(api().exchange.accept({ id: doc.id }));
      announce(t.exAccepted(String(accepted.arrivalNumber ?? '')));
      onChanged();
    } catch (failure) {
      announce(errorMessage(failure, t), 'error');
    } finally {
      setBusy(false);
    }
  };
  const giveBack = async () => {
    setBusy(true);
    setError(null);
    try {
      await call(api().exchange.return({ id: doc.id, reason: reason.trim() }));
      setReturning(false);
      announce(t.exReturned);
      onChanged();
    } catch (failure) {
      setError(errorMessage(failure, t));
    } finally {
      setBusy(false);
    }
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
          id="return"
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
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

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

  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      await call(api().exchange.send({ id: doc.id, recipients: chosen }));
      setOpen(false);
      announce(t.exSendQueued);
      onChanged();
    } catch (failure) {
      setError(errorMessage(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        {t.exSend}
      </button>
      {open && (
        <FormDialog
          id="send"
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
