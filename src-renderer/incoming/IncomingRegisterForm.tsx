import { useId, useRef, useState, type FormEvent } from 'react';
import type { DocumentRecord } from '../../src-main/api/types.js';
import { api, ApiCallError, call } from '../api/call.js';
import { duplicatesOf, errorMessage, fieldIssues, issuesToErrors } from '../api/errorMessages.js';
import { useAnnounce } from '../app/Announcer.js';
import { useMasterData } from '../app/MasterDataContext.js';
import { Field, focusFirstInvalid } from '../components/Field.js';
import { FileDrop } from '../components/FileDrop.js';
import type { Upload } from '../components/fileUpload.js';
import { todayInVietnam } from '../format/dates.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { hashes } from '../routing/routes.js';
import { navigate } from '../routing/useRoute.js';
import { DuplicateWarning } from './DuplicateWarning.js';
import { IncomingFields } from './IncomingFields.js';
import {
  checkArrivalDate,
  emptyIncoming,
  incomingFields,
  validateIncoming,
  valuesFromDocument,
  type IncomingErrors,
  type IncomingValues,
} from './incomingForm.js';

const fieldNames = Object.keys(emptyIncoming);

/** Vào sổ văn bản đến (no `editing`) or edit an incoming document's metadata. */
export function IncomingRegisterForm({ editing }: { editing?: DocumentRecord }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const { data } = useMasterData();
  const idPrefix = useId();
  const form = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<IncomingValues>(editing ? valuesFromDocument(editing) : emptyIncoming);
  const [file, setFile] = useState<Upload | null>(null);
  const [arrivalDate, setArrivalDate] = useState<string>(todayInVietnam()); // ngày đến
  const [arrivalError, setArrivalError] = useState<string | null>(null);
  const [errors, setErrors] = useState<IncomingErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [duplicates, setDuplicates] = useState<DocumentRecord[] | null>(null);
  const [busy, setBusy] = useState(false);

  const change = (key: keyof IncomingValues, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    if (errors[key]) setErrors(({ [key]: _, ...rest }) => rest);
  };

  const fail = (error: unknown) => {
    if (error instanceof ApiCallError && error.code === 'DUPLICATE_SUSPECTED') {
      setDuplicates(duplicatesOf(error.details));
      return;
    }
    if (error instanceof ApiCallError && error.code === 'INVALID_INPUT') {
      setErrors(issuesToErrors(fieldIssues(error.details), [...fieldNames, 'file']));
      focusFirstInvalid(form.current);
    }
    const message = errorMessage(error, t);
    setFormError(message);
    announce(message, 'error');
  };

  const save = async (confirmDuplicate: boolean) => {
    setBusy(true);
    setFormError(null);
    try {
      const fields = incomingFields(values);
      if (editing) {
        await call(api().documents.update({ id: editing.id, patch: fields }));
        announce(t.updated);
        navigate(hashes.document(editing.id));
        return;
      }
      if (!confirmDuplicate) {
        const { senderName, codeNumber, codeNotation, documentDate } = fields;
        const found = await call(api().incoming.findDuplicates({ senderName, codeNumber, codeNotation, documentDate }));
        if (found.length > 0) {
          setDuplicates(found);
          return;
        }
      }
      const upload = file ? { file: { name: file.name, dataBase64: file.dataBase64 } } : {};
      const doc = await call(api().incoming.register({ ...fields, ...upload, arrivalDate, confirmDuplicate }));
      setDuplicates(null);
      announce(t.registered(String(doc.arrivalNumber ?? '')));
      navigate(hashes.document(doc.id));
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateIncoming(values, t, todayInVietnam());
    const arrival = editing ? null : checkArrivalDate(arrivalDate, values.documentDate, todayInVietnam(), t);
    setArrivalError(arrival);
    setErrors(found);
    setDuplicates(null);
    if (Object.keys(found).length > 0 || arrival !== null) {
      setFormError(t.vFixErrors);
      announce(t.vFixErrors, 'error');
      focusFirstInvalid(form.current);
      return;
    }
    void save(false);
  };

  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page__header">
        <h1 id="page-title" tabIndex={-1}>
          {editing ? t.editIncomingTitle : t.registerTitle}
        </h1>
      </header>
      <form ref={form} className="form" noValidate onSubmit={onSubmit}>
        {!editing && (
          <div className="form__grid">
            <Field name="arrivalDate" idPrefix={idPrefix} label={t.fArrivalDate} error={arrivalError ?? undefined} required>
              {(p) => <input {...p} type="date" value={arrivalDate} onChange={(e) => setArrivalDate(e.target.value)} />}
            </Field>
          </div>
        )}
        <IncomingFields idPrefix={idPrefix} values={values} errors={errors} master={data} onChange={change} />
        {!editing && <FileDrop id={`${idPrefix}-file`} label={t.fPdf} value={file} onChange={setFile} error={errors.file} />}
        {formError && !duplicates && <p className="notice notice--error">{formError}</p>}
        {duplicates && (
          <DuplicateWarning duplicates={duplicates} busy={busy} onConfirm={() => void save(true)} onBack={() => setDuplicates(null)} />
        )}
        <div className="form__actions" hidden={duplicates !== null}>
          <button type="submit" className="button--primary" disabled={busy}>
            {busy ? t.submitting : editing ? t.submitUpdate : t.submitRegister}
          </button>
          <a className="button" href={editing ? hashes.document(editing.id) : hashes.incoming}>
            {t.cancel}
          </a>
        </div>
      </form>
    </section>
  );
}
