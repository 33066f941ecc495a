import { useId, useRef, useState, type FormEvent } from 'react';
import type { MasterData } from '../../src-main/api/types.js';
import { api, ApiCallError, call } from '../api/call.js';
import { errorMessage, fieldIssues } from '../api/errorMessages.js';
import { Field, focusFirstInvalid } from '../components/Field.js';
import type { FieldSpec } from '../components/RecordEditor.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { agencyFieldSpecs, unitFieldSpecs } from './agencyFields.js';

type Values = Record<string, string>;

/** Errors keyed by the contract's paths ("agency.code", "units.1.name", "user.fullName"). */
function check(specs: FieldSpec[], values: Values, prefix: string, t: ReturnType<typeof useI18n>['t'], into: Values) {
  for (const f of specs) {
    const value = (values[f.key] ?? '').trim();
    const path = `${prefix}.${f.key}`;
    if (!value) {
      if (f.required) into[path] = t.vRequired(f.label);
    } else if (value.length > f.max) into[path] = t.vTooLong(f.max);
    else if (f.check?.(value)) into[path] = f.check(value) ?? '';
  }
}

const trimmed = (values: Values) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim()]));

/** Thiết lập ban đầu: the agency, at least one unit, and this user. */
export function SetupWizard({ onDone }: { onDone: (master: MasterData) => void }) {
  const { t } = useI18n();
  const idPrefix = useId();
  const form = useRef<HTMLFormElement>(null);
  const [agency, setAgency] = useState<Values>({ name: '', shortName: '', code: '', place: '' });
  const [units, setUnits] = useState<Values[]>([{ name: '', shortName: '' }]);
  const [user, setUser] = useState<Values>({ fullName: '', position: '', unitIndex: '' });
  const [errors, setErrors] = useState<Values>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const agencySpecs = agencyFieldSpecs(t);
  const unitSpecs = unitFieldSpecs(t);
  const userSpecs: FieldSpec[] = [
    { key: 'fullName', label: t.userFullName, max: 50, required: true },
    { key: 'position', label: t.userPosition, max: 100 },
  ];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Values = {};
    check(agencySpecs, agency, 'agency', t, found);
    units.forEach((unit, i) => check(unitSpecs, unit, `units.${i}`, t, found));
    check(userSpecs, user, 'user', t, found);
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) {
      setFormError(t.vFixErrors);
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      const master = await call(
        api().setup.complete({
          agency: trimmed(agency) as { name: string; shortName: string; code: string; place: string },
          units: units.map((u) => trimmed(u) as { name: string; shortName: string }),
          user: {
            fullName: user.fullName?.trim() ?? '',
            position: user.position?.trim() ?? '',
            unitIndex: user.unitIndex ? Number(user.unitIndex) : null,
          },
        }),
      );
      onDone(master);
    } catch (error) {
      if (error instanceof ApiCallError && error.code === 'INVALID_INPUT') {
        setErrors(Object.fromEntries(fieldIssues(error.details).map((i) => [i.path, i.message])));
        focusFirstInvalid(form.current);
      }
      setFormError(errorMessage(error, t));
    } finally {
      setBusy(false);
    }
  };

  const input = (spec: FieldSpec, path: string, values: Values, set: (v: Values) => void) => (
    <Field key={path} name={path} idPrefix={idPrefix} label={spec.label} hint={spec.hint} error={errors[path]} required={spec.required}>
      {(p) => <input {...p} value={values[spec.key] ?? ''} onChange={(e) => set({ ...values, [spec.key]: e.target.value })} />}
    </Field>
  );

  return (
    <main className="setup" aria-labelledby="setup-title">
      <h1 id="setup-title">{t.setupTitle}</h1>
      <p>{t.setupIntro}</p>
      <form ref={form} className="form" noValidate onSubmit={(e) => void submit(e)}>
        <fieldset>
          <legend>{t.agencySection}</legend>
          <div className="form__grid">{agencySpecs.map((s) => input(s, `agency.${s.key}`, agency, setAgency))}</div>
        </fieldset>
        <fieldset>
          <legend>{t.unitsSection}</legend>
          {units.map((unit, i) => (
            <div className="form__grid setup__unit" key={i}>
              {unitSpecs.map((s) =>
                input(s, `units.${i}.${s.key}`, unit, (next) => setUnits((all) => all.map((u, j) => (j === i ? next : u)))),
              )}
              {units.length > 1 && (
                <button
                  type="button"
                  className="button--link"
                  onClick={() => {
                    setUnits((all) => all.filter((_, j) => j !== i));
                    setUser((u) => ({ ...u, unitIndex: '' }));
                  }}
                >
                  {t.removeUnit(i + 1)}
                </button>
              )}
            </div>
          ))}
          <button type="button" onClick={() => setUnits((all) => [...all, { name: '', shortName: '' }])}>
            {t.addUnit}
          </button>
        </fieldset>
        <fieldset>
          <legend>{t.userSection}</legend>
          <div className="form__grid">
            {userSpecs.map((s) => input(s, `user.${s.key}`, user, setUser))}
            <Field name="user.unitIndex" idPrefix={idPrefix} label={t.userUnit} error={errors['user.unitIndex']}>
              {(p) => (
                <select {...p} value={user.unitIndex ?? ''} onChange={(e) => setUser({ ...user, unitIndex: e.target.value })}>
                  <option value="">{t.none}</option>
                  {units.map((u, i) => (
                    <option key={i} value={i}>
                      {(u.name ?? '').trim() || `${t.unitName} ${i + 1}`}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        </fieldset>
        {formError && (
          <p className="notice notice--error" role="alert">
            {formError}
          </p>
        )}
        <div className="form__actions">
          <button type="submit" className="button--primary" disabled={busy}>
            {busy ? t.submitting : t.setupSubmit}
          </button>
        </div>
      </form>
    </main>
  );
}
