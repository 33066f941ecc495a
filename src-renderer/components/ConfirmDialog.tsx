import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider.js';
import { Modal } from './Modal.js';

interface Props {
  title: string;
  confirmLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
}

/** A modal confirmation: cancel, or the confirming action (focused first). */
export function ConfirmDialog({ title, confirmLabel, busy = false, onConfirm, onCancel, children }: Props) {
  const { t } = useI18n();
  return (
    <Modal
      title={title}
      onCancel={onCancel}
      actions={
        <>
          <button type="button" onClick={onCancel}>
            {t.cancel}
          </button>
          <button type="button" className="button--primary" disabled={busy} onClick={onConfirm} autoFocus>
            {confirmLabel}
          </button>
        </>
      }
    >
      {children}
    </Modal>
  );
}
