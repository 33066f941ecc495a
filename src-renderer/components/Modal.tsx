import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';

interface Props {
  title: string;
  onCancel: () => void;
  /** The buttons, in reading order (the primary one last, with autoFocus or type="submit"). */
  actions: ReactNode;
  children: ReactNode;
  /** A form: body and buttons inside one <form>, submitted by its submit button or Enter. */
  onSubmit?: () => void;
  /** Esc does nothing (while a request runs). */
  locked?: boolean;
  wide?: boolean;
}

/** A modal on the native <dialog>: focus trapped, Esc cancels, title and body announced. */
export function Modal({ title, onCancel, actions, children, onSubmit, locked = false, wide = false }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
    return () => el?.close();
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit?.();
  };
  return (
    <dialog
      ref={dialog}
      className={wide ? 'dialog dialog--wide' : 'dialog'}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      onCancel={(e) => {
        e.preventDefault();
        if (!locked) onCancel();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      {onSubmit ? (
        <form id={`${id}-body`} className="dialog__body" onSubmit={submit}>
          {children}
          <div className="dialog__actions">{actions}</div>
        </form>
      ) : (
        <>
          <div id={`${id}-body`} className="dialog__body">
            {children}
          </div>
          <div className="dialog__actions">{actions}</div>
        </>
      )}
    </dialog>
  );
}
