import type { ReceivedSignature } from '../../src-main/api/types.js';
import { formatInstant } from '../format/dates.js';
import type { Messages } from '../i18n/vi.js';
import { useI18n } from '../i18n/I18nProvider.js';

/** A sign and a word for each verdict: never colour alone. */
const marks: Record<ReceivedSignature['verdict'], string> = { valid: '✓', invalid: '✗', indeterminate: '?', unsigned: '–' };

/** "hợp lệ — Nguyễn Văn A", "không hợp lệ — … (lý do)", "không xác định (lý do)", "không có chữ ký". */
export function receivedSignatureText(t: Messages, s: ReceivedSignature): string {
  const verdict = t.rsVerdicts[s.verdict] ?? s.verdict;
  const signer = s.signer && s.verdict !== 'unsigned' ? ` — ${s.signer}` : '';
  const reason = s.reason && (s.verdict === 'invalid' || s.verdict === 'indeterminate') ? ` (${t.rsReasons[s.reason] ?? s.reason})` : '';
  return `${verdict}${signer}${reason}`;
}

/** The verdict as a small badge in a list row; the whole sentence in its tooltip. */
export function ReceivedSignatureBadge({ signature }: { signature: ReceivedSignature }) {
  const { t } = useI18n();
  const full = `${t.rsLabel}: ${receivedSignatureText(t, signature)}`;
  return (
    <span className={`badge badge--signature badge--signature-${signature.verdict}`} title={full}>
      <span aria-hidden="true">{marks[signature.verdict]} </span>
      <span className="badge__label">{t.rsLabel}: </span>
      {t.rsVerdicts[signature.verdict] ?? signature.verdict}
    </span>
  );
}

/** "Chữ ký số: hợp lệ — Nguyễn Văn A" in the document's details, with when it was checked. */
export function ReceivedSignatureLine({ signature }: { signature: ReceivedSignature }) {
  const { t } = useI18n();
  return (
    <p className={`received-signature received-signature--${signature.verdict}`}>
      <span aria-hidden="true">{marks[signature.verdict]} </span>
      <strong>{t.rsLabel}:</strong> {receivedSignatureText(t, signature)}
      <span className="received-signature__when"> {t.rsVerifiedAt(formatInstant(signature.verifiedAt))}</span>
    </p>
  );
}
