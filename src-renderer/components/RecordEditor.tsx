import { useId, useRef, useState, type FormEvent } from 'react';
import { ApiCallError } from '../api/call.js';
import { errorMessage, fieldIssues, issuesToErrors } from '../api/errorMessages.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { Field, focusFirstInvalid } from './Field.js';

export interface FieldSpec {
  key: string;
  label: string;
  max: number;
  required?: boolean;
  hint?: string;
  /** An extra check on a non-empty value; returns the message when invalid. */
  check?: (value: string) => string | undefined;
}

interface Props {
  fields: FieldSpec[];
  initial: Record<string, string>;
  submitLabel: string;
  /** Accessible name of the form (e.g. "Sửa đơn vị Văn phòng"). */
  label: string;
  onSubmit: (values: Record<string, string>) => Promise<void>;
  onCancel?: () => void;
}

/** A small form of text fields used throughout Settings, with the same validation as the big forms. */
export function RecordEditor({ fields, initial, submitLabel, label, onSubmit, onCancel }: Props) {
  const { t } = useI18n();
  const idPrefix = useId();
  const form = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const validate = () => {
    const found: Record<string, string> = {};
    for (const f of fields) {
      const value = (values[f.key] ?? '').trim();
      if (!value) {
        if (f.required) found[f.key] = t.vRequired(f.label);
      } else if (value.length > f.max) found[f.key] = t.vTooLong(f.max);
      else {
        const problem = f.check?.(value);
        if (problem) found[f.key] = problem;
      }
    }
    return found;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validate();
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      await onSubmit(Object.fromEntries(fields.map((f) => [f.key, (values[f.key] ?? '').trim()])));
    } catch (error) {
      if (error instanceof ApiCallError && error.code === 'INVALID_INPUT') {
        setErrors(issuesToErrors(fieldIssues(error.details), fields.map((f) => f.key)));
        focusFirstInvalid(form.current);
      }
      setFormError(errorMessage(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={form} className="record-editor" aria-label={label} noValidate onSubmit={(e) => void submit(e)}>
      <div className="form__grid">
        {fields.map((f) => (
          <Field key={f.key} name={f.key} idPrefix={idPrefix} label={f.label} hint={f.hint} error={errors[f.key]} required={f.required}>
            {(p) => (
              <input
                {...p}
                value={values[f.key] ?? ''}
                onChange={(e) => {
                  const value = e.target.value;
                  setValues((v) => ({ ...v, [f.key]: value }));
                }}
              />
            )}
          </Field>
        ))}
      </div>
      {formError && (
        <p className="notice notice--error" role="alert">
          {formError}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="button--primary" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t.cancel}
          </button>
        )}
      </div>
    </form>
  );
}
