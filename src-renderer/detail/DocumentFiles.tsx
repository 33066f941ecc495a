import type { StoredFile } from '../../src-main/api/types.js';
import { api, call } from '../api/call.js';
import { errorMessage } from '../api/errorMessages.js';
import { useAnnounce } from '../app/Announcer.js';
import { base64ToBytes } from '../components/fileUpload.js';
import { formatSize } from '../format/dates.js';
import { useI18n } from '../i18n/I18nProvider.js';

/** The document's stored files, each downloadable. */
export function DocumentFiles({ files }: { files: StoredFile[] }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const download = async (file: StoredFile) => {
    try {
      const stored = await call(api().files.read({ sha256: file.sha256 }));
      const url = URL.createObjectURL(new Blob([base64ToBytes(stored.dataBase64)], { type: stored.mime }));
      const link = document.createElement('a');
      link.href = url;
      link.download = stored.name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      announce(errorMessage(error, t), 'error');
    }
  };
  return (
    <section aria-labelledby="files-title">
      <h2 id="files-title">{t.detailFiles}</h2>
      {files.length === 0 ? (
        <p>{t.detailNoFiles}</p>
      ) : (
        <ul className="files">
          {files.map((file) => (
            <li key={file.sha256}>
              <span>
                {file.name} ({formatSize(file.size)})
              </span>{' '}
              <button type="button" className="button--link" onClick={() => void download(file)}>
                {t.detailDownload(file.name)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
