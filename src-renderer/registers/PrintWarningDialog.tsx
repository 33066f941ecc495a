import { useEffect, useRef } from 'react';
import { formatCount } from '../format/dates.js';
import { useI18n } from '../i18n/I18nProvider.js';

interface Props {
  total: number;
  onPrintAll: () => void;
  onChooseRange: () => void;
  onCancel: () => void;
}

/** Before printing a very long register: print it all, or go back and choose a date range (the default). */
export function PrintWarningDialog({ total, onPrintAll, onChooseRange, onCancel }: Props) {
  const { t, lang } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
    return () => el?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="print-warning-title"
      aria-describedby="print-warning-text"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id="print-warning-title">{t.regPrintWarnTitle}</h2>
      <p id="print-warning-text" className="dialog__body">
        {t.regPrintWarnText(formatCount(total, lang))}
      </p>
      <div className="dialog__actions">
        <button type="button" onClick={onCancel}>
          {t.cancel}
        </button>
        <button type="button" onClick={onPrintAll}>
          {t.regPrintAll}
        </button>
        <button type="button" className="button--primary" onClick={onChooseRange} autoFocus>
          {t.regPrintChooseRange}
        </button>
      </div>
    </dialog>
  );
}
