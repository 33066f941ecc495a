import { useEffect, useRef, useState } from 'react';
import type { OcspView, SignatureView, VerifyResult } from '../../src-main/api/types.js';
import { api, call } from '../api/call.js';
import { formatDayTime } from '../format/dates.js';
import { useI18n } from '../i18n/I18nProvider.js';

const icons: Record<SignatureView['status'], string> = { valid: '✔', invalid: '✖', indeterminate: '?' };

/** One OCSP answer: status, when it was produced and whether it was kept from an earlier check, or why there is none. */
function OcspLine({ answer, named }: { answer: OcspView; named: boolean }) {
  const { t } = useI18n();
  const facts = [t.sigOcspStatus[answer.status] ?? answer.status];
  if (answer.revokedAt) facts.push(t.sigOcspRevokedAt(formatDayTime(answer.revokedAt)));
  if (answer.producedAt) facts.push(t.sigOcspProduced(formatDayTime(answer.producedAt), answer.fromCache));
  return (
    <li>
      {named && <span className="signature__detail">{answer.certificate}</span>}
      {facts.join(', ')}
      {answer.status === 'unknown' && (
        <>
          {' — '}
          {(answer.failure && t.sigOcspFailures[answer.failure]) ?? t.sigOcspFailures['badResponse']}
          {answer.message && (
            <span className="signature__detail" lang="en">
              {answer.message}
            </span>
          )}
        </>
      )}
    </li>
  );
}

/**
 * The signatures of the document's PDF as the verifier judged them (valid / invalid / cannot tell, with why):
 * first offline (stored CRLs), then — on request — with the revocation asked online over OCSP.
 */
export function SignaturePanel({ sha256 }: { sha256: string }) {
  const { t } = useI18n();
  const [result, setResult] = useState<VerifyResult | null>(null);
  const [failed, setFailed] = useState(false);
  const [online, setOnline] = useState<'idle' | 'checking' | 'failed'>('idle');
  const current = useRef(sha256);
  useEffect(() => {
    let live = true;
    current.current = sha256;
    setResult(null);
    setFailed(false);
    setOnline('idle');
    call(api().signing.verify({ sha256 })).then(
      (value) => live && setResult(value),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [sha256]);

  const checkOnline = (): void => {
    const asked = sha256;
    setOnline('checking');
    call(api().signing.verify({ sha256: asked, ocsp: true })).then(
      (value) => {
        if (current.current !== asked) return;
        setResult(value);
        setOnline('idle');
      },
      () => current.current === asked && setOnline('failed'),
    );
  };

  return (
    <section aria-labelledby="signatures-title" aria-busy={(result === null && !failed) || online === 'checking'}>
      <h2 id="signatures-title">{t.sigTitle}</h2>
      {failed && <p className="notice notice--warning">{t.sigCheckFailed}</p>}
      {!failed && result === null && <p>{t.sigChecking}</p>}
      {result && result.signatures.length === 0 && <p>{t.sigNone}</p>}
      {result && result.signatures.length > 0 && (
        <>
          <p>
            <span role="status">{online === 'checking' ? t.sigCheckingOnline : result.online ? t.sigOnlineNote : t.sigOfflineNote}</span>{' '}
            <button type="button" className="button--link" onClick={checkOnline} disabled={online === 'checking'}>
              {t.sigCheckOnline}
            </button>
          </p>
          {online === 'failed' && <p className="notice notice--warning">{t.sigOnlineFailed}</p>}
          <ol className="signatures">
            {result.signatures.map((s) => (
              <li key={s.index} className={`signature signature--${s.status}`}>
                <p className="signature__head">
                  <span className="signature__status">
                    <span aria-hidden="true" className="signature__icon">
                      {icons[s.status]}
                    </span>{' '}
                    {t.sigStatus[s.status] ?? s.status}
                  </span>
                  <span className="signature__signer">{s.signer?.commonName ?? s.signer?.subject ?? '—'}</span>
                </p>
                <dl className="signature__facts">
                  <div>
                    <dt>{t.sigTime}</dt>
                    <dd>
                      {formatDayTime(s.signingTime) || '—'} {s.signingTimeSource === 'timestamp' ? t.sigTimeStamped : ''}
                    </dd>
                  </div>
                  {s.signer && (
                    <div>
                      <dt>{t.sigIssuer}</dt>
                      <dd>{s.signer.issuer}</dd>
                    </div>
                  )}
                  {s.ocsp && s.ocsp.length > 0 && (
                    <div>
                      <dt>{t.sigOcsp}</dt>
                      <dd>
                        <ul>
                          {s.ocsp.map((o) => (
                            <OcspLine key={o.certificate} answer={o} named={(s.ocsp?.length ?? 0) > 1} />
                          ))}
                        </ul>
                      </dd>
                    </div>
                  )}
                </dl>
                {s.status !== 'valid' && (
                  <div className="signature__reasons">
                    <p className="signature__reasons-title">{t.sigReasons}</p>
                    <ul>
                      {s.checks
                        .filter((c) => c.state === 'failed' || c.state === 'unknown')
                        .map((c) => (
                          <li key={c.name}>
                            {t.sigChecks[c.name] ?? c.name}: {t.sigCheckStates[c.state] ?? c.state}
                            <span className="signature__detail" lang="en">
                              {c.message}
                            </span>
                          </li>
                        ))}
                      {!s.coversWholeDocument && <li>{t.sigPartial}</li>}
                    </ul>
                  </div>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
