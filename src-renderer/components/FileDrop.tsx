import { useState, type DragEvent } from 'react';
import { formatSize } from '../format/dates.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { readAsBase64, uploadProblem, type Upload } from './fileUpload.js';

interface Props {
  id: string;
  label: string;
  value: Upload | null;
  onChange: (file: Upload | null) => void;
  error?: string | undefined;
}

/** A labelled PDF file input inside a drag-and-drop zone; the file is read as Base64. */
export function FileDrop({ id, label, value, onChange, error }: Props) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);

  const accept = async (file: File | undefined) => {
    if (!file) return;
    const why = uploadProblem(file);
    if (why) {
      setProblem(why === 'notPdf' ? t.vNotPdf : t.vFileTooLarge);
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      onChange(await readAsBase64(file));
    } catch {
      setProblem(t.errInternal);
    } finally {
      setBusy(false);
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    void accept(event.dataTransfer.files[0]);
  };

  const message = problem ?? error;
  return (
    <div className={`field field--wide${message ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div
        className={`dropzone${over ? ' dropzone--over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <input
          id={id}
          type="file"
          accept="application/pdf,.pdf"
          aria-describedby={`${id}-hint${message ? ` ${id}-error` : ''}`}
          aria-invalid={Boolean(message)}
          onChange={(e) => {
            void accept(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        <p id={`${id}-hint`} className="dropzone__hint">
          {busy ? t.readingFile : value ? t.fileChosen(value.name, formatSize(value.size)) : t.dropHint}
        </p>
        {value && (
          <button type="button" className="button--link" onClick={() => onChange(null)}>
            {t.removeFile}
          </button>
        )}
      </div>
      {message && (
        <p id={`${id}-error`} className="field__error">
          {message}
        </p>
      )}
    </div>
  );
}
