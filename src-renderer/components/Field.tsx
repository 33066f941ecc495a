import type { ReactNode } from 'react';

interface ControlProps {
  id: string;
  name: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
  required: boolean;
}

interface Props {
  /** Also the control's name and the key of its error. */
  name: string;
  idPrefix: string;
  label: string;
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  wide?: boolean;
  children: (control: ControlProps) => ReactNode;
}

/** A labelled form control with its hint and its validation message. */
export function Field({ name, idPrefix, label, error, hint, required = false, wide = false, children }: Props) {
  const id = `${idPrefix}-${name}`;
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={`field${wide ? ' field--wide' : ''}${error ? ' field--invalid' : ''}`}>
      <div className="field__label">
        <label htmlFor={id}>{label}</label>
        {required && (
          <span className="field__required" aria-hidden="true">
            *
          </span>
        )}
      </div>
      {children({ id, name, 'aria-invalid': Boolean(error), 'aria-describedby': described || undefined, required })}
      {hint && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

/** Moves focus to the first invalid control of a form, after React has rendered the errors. */
export function focusFirstInvalid(form: HTMLFormElement | null): void {
  requestAnimationFrame(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}
