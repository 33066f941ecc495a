import { useEffect, useState } from 'react';
import type { SignatureView, VerifyResult } from '../../src-main/api/types.js';
import { api, call } from '../api/call.js';
import { formatDayTime } from '../format/dates.js';
import { useI18n } from '../i18n/I18nProvider.js';

const icons: Record<SignatureView['status'], string> = { valid: '✔', invalid: '✖', indeterminate: '?' };

/** The signatures of the document's PDF as the verifier judged them (valid / invalid / cannot tell, with why). */
export function SignaturePanel({ sha256 }: { sha256: string }) {
  const { t } = useI18n();
  const [result, setResult] = useState<VerifyResult | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    setResult(null);
    setFailed(false);
    call(api().signing.verify({ sha256 })).then(
      (value) => live && setResult(value),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [sha256]);

  return (
    <section aria-labelledby="signatures-title" aria-busy={result === null && !failed}>
      <h2 id="signatures-title">{t.sigTitle}</h2>
      {failed && <p className="notice notice--warning">{t.sigCheckFailed}</p>}
      {!failed && result === null && <p>{t.sigChecking}</p>}
      {result && result.signatures.length === 0 && <p>{t.sigNone}</p>}
      {result && result.signatures.length > 0 && (
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
      )}
    </section>
  );
}
