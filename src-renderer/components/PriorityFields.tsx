import { confidentialities, confidentialityName, urgencies, urgencyName } from '../documents/labels.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { Field } from './Field.js';

type Key = 'urgency' | 'confidentiality';

interface Props {
  idPrefix: string;
  values: Record<Key, string>;
  errors: Partial<Record<Key, string>>;
  onChange: (key: Key, value: string) => void;
}

/** Độ khẩn and độ mật, as every document form asks them. */
export function PriorityFields({ idPrefix, values, errors, onChange }: Props) {
  const { t } = useI18n();
  return (
    <>
      <Field name="urgency" idPrefix={idPrefix} label={t.fUrgency} error={errors.urgency}>
        {(p) => (
          <select {...p} value={values.urgency} onChange={(e) => onChange('urgency', e.target.value)}>
            {urgencies.map((u) => (
              <option key={u} value={u}>
                {urgencyName(t, u)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="confidentiality" idPrefix={idPrefix} label={t.fConfidentiality} error={errors.confidentiality}>
        {(p) => (
          <select {...p} value={values.confidentiality} onChange={(e) => onChange('confidentiality', e.target.value)}>
            {confidentialities.map((c) => (
              <option key={c} value={c}>
                {confidentialityName(t, c)}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}
