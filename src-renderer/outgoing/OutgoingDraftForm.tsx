import { useId, useRef, useState, type FormEvent } from 'react';
import type { DocumentRecord } from '../../src-main/api/types.js';
import { api, ApiCallError, call } from '../api/call.js';
import { errorMessage, fieldIssues, issuesToErrors } from '../api/errorMessages.js';
import { useAnnounce } from '../app/Announcer.js';
import { useMasterData } from '../app/MasterDataContext.js';
import { Field, focusFirstInvalid } from '../components/Field.js';
import { FileDrop } from '../components/FileDrop.js';
import type { Upload } from '../components/fileUpload.js';
import { PriorityFields } from '../components/PriorityFields.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { hashes } from '../routing/routes.js';
import { navigate } from '../routing/useRoute.js';
import { draftFromDocument, draftInput, newDraft, validateDraft, type DraftErrors, type DraftValues } from './outgoingForm.js';

/** Soạn văn bản đi: a new draft, or edit an existing one (`editing`). */
export function OutgoingDraftForm({ editing }: { editing?: DocumentRecord }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const { data } = useMasterData();
  const idPrefix = useId();
  const form = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<DraftValues>(editing ? draftFromDocument(editing) : newDraft(data.user));
  const [file, setFile] = useState<Upload | null>(null);
  const [errors, setErrors] = useState<DraftErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const common = (key: keyof DraftValues) => ({
    value: values[key],
    onChange: (e: { target: { value: string } }) => {
      setValues((v) => ({ ...v, [key]: e.target.value }));
      if (errors[key]) setErrors(({ [key]: _, ...rest }) => rest);
    },
  });

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateDraft(values, t);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setFormError(t.vFixErrors);
      announce(t.vFixErrors, 'error');
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      const upload = file ? { file: { name: file.name, dataBase64: file.dataBase64 } } : {};
      const doc = await call(api().outgoing.saveDraft({ ...draftInput(values, editing?.id), ...upload }));
      announce(t.draftSaved);
      navigate(hashes.document(doc.id));
    } catch (error) {
      if (error instanceof ApiCallError && error.code === 'INVALID_INPUT') {
        setErrors(issuesToErrors(fieldIssues(error.details), [...Object.keys(values), 'file']));
        focusFirstInvalid(form.current);
      }
      const message = errorMessage(error, t);
      setFormError(message);
      announce(message, 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page__header">
        <h1 id="page-title" tabIndex={-1}>
          {editing ? t.editDraftTitle : t.draftTitle}
        </h1>
      </header>
      <form ref={form} className="form" noValidate onSubmit={(e) => void onSubmit(e)}>
        <div className="form__grid">
          <Field name="typeId" idPrefix={idPrefix} label={t.fType} error={errors.typeId} required>
            {(p) => (
              <select {...p} {...common('typeId')}>
                <option value="">{t.none}</option>
                {data.documentTypes.map((type) => (
                  <option key={type.id} value={type.id}>
                    {type.abbreviation ? `${type.name} (${type.abbreviation})` : type.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field name="draftingUnitId" idPrefix={idPrefix} label={t.fDraftingUnit} error={errors.draftingUnitId}>
            {(p) => (
              <select {...p} {...common('draftingUnitId')}>
                <option value="">{t.none}</option>
                {data.units.map((unit) => (
                  <option key={unit.id} value={unit.id}>
                    {unit.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field name="subject" idPrefix={idPrefix} label={t.fSubject} error={errors.subject} required wide>
            {(p) => <textarea {...p} {...common('subject')} rows={3} />}
          </Field>
          <Field name="signerName" idPrefix={idPrefix} label={t.fSigner} error={errors.signerName}>
            {(p) => <input {...p} {...common('signerName')} />}
          </Field>
          <Field name="signerPosition" idPrefix={idPrefix} label={t.fSignerPosition} error={errors.signerPosition}>
            {(p) => <input {...p} {...common('signerPosition')} />}
          </Field>
          <Field name="recipients" idPrefix={idPrefix} label={t.fRecipients} error={errors.recipients} wide>
            {(p) => <textarea {...p} {...common('recipients')} rows={3} />}
          </Field>
          <PriorityFields idPrefix={idPrefix} values={values} errors={errors} onChange={(key, value) => common(key).onChange({ target: { value } })} />
          <Field name="note" idPrefix={idPrefix} label={t.fNote} error={errors.note} wide>
            {(p) => <textarea {...p} {...common('note')} rows={2} />}
          </Field>
        </div>
        <FileDrop id={`${idPrefix}-file`} label={t.fDraftFile} value={file} onChange={setFile} error={errors.file} />
        {formError && <p className="notice notice--error">{formError}</p>}
        <div className="form__actions">
          <button type="submit" className="button--primary" disabled={busy}>
            {busy ? t.submitting : t.submitDraft}
          </button>
          <a className="button" href={editing ? hashes.document(editing.id) : hashes.outgoing}>
            {t.cancel}
          </a>
        </div>
      </form>
    </section>
  );
}
