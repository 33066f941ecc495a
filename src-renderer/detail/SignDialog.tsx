import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { CertificateView, DocumentDetail, SignMode, TokenList } from '../../src-main/api/types.js';
import { api, call } from '../api/call.js';
import { errorMessage } from '../api/errorMessages.js';
import { useAnnounce } from '../app/Announcer.js';
import { formatDay } from '../format/dates.js';
import { useI18n } from '../i18n/I18nProvider.js';
import type { Messages } from '../i18n/vi.js';
import { SignPlacementPreview, type ChosenPlacement } from './SignPlacementPreview.js';

function certWarning(t: Messages, c: CertificateView): string {
  switch (c.warning) {
    case 'expired':
      return t.certExpired;
    case 'notYetValid':
      return t.certNotYetValid;
    case 'expiresSoon':
      return t.certExpiresSoon(Math.max(0, c.daysLeft));
    case 'notForSigning':
      return t.certNotForSigning;
    default:
      return '';
  }
}

function certLabel(t: Messages, c: CertificateView): string {
  const warning = certWarning(t, c);
  return `${c.commonName ?? c.label} — ${t.certValidUntil(formatDay(c.notAfter.slice(0, 10)))}${warning ? ` (${warning})` : ''}`;
}

/** Modes this document allows: approval and issuance are for outgoing documents. */
export function signModes(doc: Pick<DocumentDetail, 'direction'>): SignMode[] {
  return doc.direction === 'outgoing' ? ['signer', 'agency', 'appendix', 'copy'] : ['appendix', 'copy'];
}

/** "Ký số": token and certificate, kind of signature, PIN (never kept), progress and a clear result. */
export function SignDialog({ doc, onDone, onCancel }: { doc: DocumentDetail; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const dialog = useRef<HTMLDialogElement>(null);
  const pinInput = useRef<HTMLInputElement>(null);
  const [list, setList] = useState<TokenList | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [serial, setSerial] = useState('');
  const [certId, setCertId] = useState('');
  const issued = doc.status === 'issued';
  const modes = signModes(doc);
  const [mode, setMode] = useState<SignMode>(doc.direction === 'outgoing' ? (issued ? 'agency' : 'signer') : 'copy');
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [placement, setPlacement] = useState<ChosenPlacement | null>(null);

  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
    return () => el?.close();
  }, []);

  const load = useCallback(() => {
    setList(null);
    setLoadError(null);
    call(api().signing.listTokens({})).then(
      (value) => {
        setList(value);
        const token = value.tokens.find((tk) => tk.certificates.some((c) => c.usable)) ?? value.tokens[0];
        setSerial(token?.serial ?? '');
        setCertId(token?.certificates.find((c) => c.usable)?.id ?? '');
      },
      (failure: unknown) => setLoadError(errorMessage(failure, t)),
    );
  }, [t]);
  useEffect(load, [load]);

  // Tokens plugged in or pulled out while the dialog is open are noticed (every 3 s, not while signing).
  useEffect(() => {
    if (busy) return undefined;
    const timer = setInterval(() => {
      call(api().signing.listTokens({})).then(
        (value) => {
          setList((previous) => (previous && tokenKey(previous) === tokenKey(value) ? previous : value));
          setSerial((current) => {
            if (value.tokens.some((tk) => tk.serial === current)) return current;
            const next = value.tokens.find((tk) => tk.certificates.some((c) => c.usable)) ?? value.tokens[0];
            setCertId(next?.certificates.find((c) => c.usable)?.id ?? '');
            return next?.serial ?? '';
          });
        },
        () => undefined,
      );
    }, 3000);
    return () => clearInterval(timer);
  }, [busy]);

  const token = list?.tokens.find((tk) => tk.serial === serial);
  const cert = token?.certificates.find((c) => c.id === certId);
  const modeAllowed = mode !== 'agency' || issued;
  const canSign = !busy && Boolean(token && cert?.usable) && pin.length > 0 && modeAllowed;
  // Without a signer on the document, the signer block is found by the certificate's name.
  const byCertificate = mode === 'signer' && !doc.signerName;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!canSign || !token || !cert) return;
    setBusy(true);
    setError(null);
    const entered = pin;
    setPin(''); // the field is cleared whatever happens next
    try {
      const result = await call(
        api().signing.sign({ documentId: doc.id, as: mode, tokenSerial: token.serial, certId: cert.id, pin: entered, ...(placement ? { placement } : {}) }),
      );
      announce(t.signDone(result.signer));
      onDone();
    } catch (failure) {
      setError(errorMessage(failure, t));
      requestAnimationFrame(() => pinInput.current?.focus());
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialog}
      className="dialog dialog--wide dialog--sign"
      aria-labelledby="sign-title"
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id="sign-title">{t.signTitle}</h2>
      <form className="dialog__body sign-form" onSubmit={(e) => void submit(e)} autoComplete="off">
        <div className="sign-form__fields">
          {loadError && (
            <p className="notice notice--error" role="alert">
              {loadError}
            </p>
          )}
          {!list && !loadError && <p>{t.signLoadingTokens}</p>}
          {list && list.modules.length === 0 && <p className="notice notice--warning">{t.signNoModule}</p>}
          {list && list.modules.length > 0 && list.tokens.length === 0 && <p className="notice notice--warning">{t.signNoToken}</p>}
          {list && list.tokens.length > 0 && (
            <>
              <div className="field">
                <label htmlFor="sign-token">{t.signToken}</label>
                <select
                  id="sign-token"
                  value={serial}
                  disabled={busy}
                  onChange={(e) => {
                    const next = list.tokens.find((tk) => tk.serial === e.target.value);
                    setSerial(e.target.value);
                    setCertId(next?.certificates.find((c) => c.usable)?.id ?? '');
                  }}
                >
                  {list.tokens.map((tk) => (
                    <option key={`${tk.module}|${tk.serial}`} value={tk.serial}>
                      {tk.label} ({[tk.manufacturer, tk.model].filter(Boolean).join(' ')})
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="sign-cert">{t.signCert}</label>
                <select id="sign-cert" value={certId} disabled={busy} onChange={(e) => setCertId(e.target.value)} aria-describedby="sign-cert-warning">
                  {(token?.certificates ?? []).map((c) => (
                    <option key={c.id} value={c.id} disabled={!c.usable}>
                      {certLabel(t, c)}
                    </option>
                  ))}
                </select>
                <p id="sign-cert-warning" className="field__hint">
                  {cert ? [cert.issuer, certWarning(t, cert)].filter(Boolean).join(' — ') : ''}
                </p>
              </div>
            </>
          )}
          <button type="button" className="button--link" onClick={load} disabled={busy}>
            {t.signRefresh}
          </button>
          <fieldset className="sign-modes" disabled={busy}>
            <legend>{t.signMode}</legend>
            {modes.map((m) => (
              <label key={m} className="choice">
                <input type="radio" name="sign-mode" value={m} checked={mode === m} disabled={m === 'agency' && !issued} onChange={() => setMode(m)} />{' '}
                {t.signModes[m]}
              </label>
            ))}
            {doc.direction === 'outgoing' && !issued && <p className="field__hint">{t.signAgencyNeedsIssue}</p>}
          </fieldset>
          <div className="field">
            <label htmlFor="sign-pin">{t.signPin}</label>
            <input
              id="sign-pin"
              ref={pinInput}
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={pin}
              disabled={busy}
              aria-describedby="sign-pin-hint"
              onChange={(e) => setPin(e.target.value)}
            />
            <p id="sign-pin-hint" className="field__hint">
              {t.signPinHint}
            </p>
          </div>
          {busy && (
            <p className="sign-progress" role="status">
              <progress aria-label={t.signing} /> {t.signing}
            </p>
          )}
          {error && (
            <p className="notice notice--error" role="alert">
              {error}
            </p>
          )}
        </div>
        <SignPlacementPreview
          documentId={doc.id}
          mode={mode}
          tokenSerial={byCertificate ? token?.serial : undefined}
          certId={byCertificate ? cert?.id : undefined}
          disabled={busy}
          onChange={setPlacement}
        />
        <div className="dialog__actions">
          <button type="button" onClick={onCancel} disabled={busy}>
            {t.cancel}
          </button>
          <button type="submit" className="button--primary" disabled={!canSign}>
            {t.signSubmit}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** What identifies a token list for change detection: tokens and their certificates. */
function tokenKey(list: { tokens: Array<{ serial: string; certificates: Array<{ id: string }> }> }): string {
  return list.tokens.map((tk) => `${tk.serial}:${tk.certificates.map((c) => c.id).join(',')}`).join('|');
}
