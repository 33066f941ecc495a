import { useEffect, useId, useRef, type ReactNode } from 'react';

interface Props {
  title: string;
  onCancel: () => void;
  /** The buttons, in reading order (the primary one last, with autoFocus). */
  actions: ReactNode;
  children: ReactNode;
}

/** A modal on the native <dialog>: focus trapped, Esc cancels, title and body announced. */
export function Modal({ title, onCancel, actions, children }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
    return () => el?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <div id={`${id}-body`} className="dialog__body">
        {children}
      </div>
      <div className="dialog__actions">{actions}</div>
    </dialog>
  );
}
