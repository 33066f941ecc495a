import type { MasterData } from '../../src-main/api/types.js';
import { Field } from '../components/Field.js';
import { PriorityFields } from '../components/PriorityFields.js';
import { useI18n } from '../i18n/I18nProvider.js';
import type { IncomingErrors, IncomingValues } from './incomingForm.js';

interface Props {
  idPrefix: string;
  values: IncomingValues;
  errors: IncomingErrors;
  master: MasterData;
  onChange: (key: keyof IncomingValues, value: string) => void;
}

/** The metadata controls of an incoming document, labelled as in the Phụ lục IV register. */
export function IncomingFields({ idPrefix, values, errors, master, onChange }: Props) {
  const { t } = useI18n();
  const common = (key: keyof IncomingValues) => ({
    value: values[key],
    onChange: (e: { target: { value: string } }) => onChange(key, e.target.value),
  });
  return (
    <div className="form__grid">
      <Field name="senderName" idPrefix={idPrefix} label={t.fSender} error={errors.senderName} required wide>
        {(p) => <input {...p} {...common('senderName')} list={`${idPrefix}-senders`} autoComplete="off" />}
      </Field>
      <datalist id={`${idPrefix}-senders`}>
        {master.externalAgencies.map((a) => (
          <option key={a.id} value={a.name} />
        ))}
      </datalist>
      <Field name="codeNumber" idPrefix={idPrefix} label={t.fCodeNumber} error={errors.codeNumber} required>
        {(p) => <input {...p} {...common('codeNumber')} inputMode="numeric" />}
      </Field>
      <Field name="codeNotation" idPrefix={idPrefix} label={t.fCodeNotation} error={errors.codeNotation} required>
        {(p) => <input {...p} {...common('codeNotation')} />}
      </Field>
      <Field name="documentDate" idPrefix={idPrefix} label={t.fDocumentDate} error={errors.documentDate} required>
        {(p) => <input {...p} {...common('documentDate')} type="date" />}
      </Field>
      <Field name="typeId" idPrefix={idPrefix} label={t.fType} error={errors.typeId} required>
        {(p) => (
          <select {...p} {...common('typeId')}>
            <option value="">{t.none}</option>
            {master.documentTypes.map((type) => (
              <option key={type.id} value={type.id}>
                {type.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="subject" idPrefix={idPrefix} label={t.fSubject} error={errors.subject} required wide>
        {(p) => <textarea {...p} {...common('subject')} rows={3} />}
      </Field>
      <PriorityFields idPrefix={idPrefix} values={values} errors={errors} onChange={onChange} />
      <Field name="recipientUnitId" idPrefix={idPrefix} label={t.fRecipientUnit} error={errors.recipientUnitId}>
        {(p) => (
          <select {...p} {...common('recipientUnitId')}>
            <option value="">{t.none}</option>
            {master.units.map((unit) => (
              <option key={unit.id} value={unit.id}>
                {unit.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="recipientPerson" idPrefix={idPrefix} label={t.fRecipientPerson} error={errors.recipientPerson}>
        {(p) => <input {...p} {...common('recipientPerson')} />}
      </Field>
      <Field name="dueDate" idPrefix={idPrefix} label={t.fDueDate} error={errors.dueDate}>
        {(p) => <input {...p} {...common('dueDate')} type="date" />}
      </Field>
      <Field name="note" idPrefix={idPrefix} label={t.fNote} error={errors.note} wide>
        {(p) => <textarea {...p} {...common('note')} rows={2} />}
      </Field>
    </div>
  );
}
