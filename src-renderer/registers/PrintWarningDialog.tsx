import { formatCount } from '../format/dates.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { Modal } from '../components/Modal.js';

interface Props {
  total: number;
  onPrintAll: () => void;
  onChooseRange: () => void;
  onCancel: () => void;
}

/** Before printing a very long register: print it all, or go back and choose a date range (the default). */
export function PrintWarningDialog({ total, onPrintAll, onChooseRange, onCancel }: Props) {
  const { t, lang } = useI18n();
  return (
    <Modal
      title={t.regPrintWarnTitle}
      onCancel={onCancel}
      actions={
        <>
          <button type="button" onClick={onCancel}>
            {t.cancel}
          </button>
          <button type="button" onClick={onPrintAll}>
            {t.regPrintAll}
          </button>
          <button type="button" className="button--primary" onClick={onChooseRange} autoFocus>
            {t.regPrintChooseRange}
          </button>
        </>
      }
    >
      <p>{t.regPrintWarnText(formatCount(total, lang))}</p>
    </Modal>
  );
}
