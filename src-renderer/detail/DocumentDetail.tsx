import { useState } from 'react';
import type { DocumentDetail as Detail } from '../../src-main/api/types.js';
import { api, call } from '../api/call.js';
import { errorMessage } from '../api/errorMessages.js';
import { useAnnounce } from '../app/Announcer.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { codeOf } from '../documents/labels.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { hashes } from '../routing/routes.js';
import { navigate } from '../routing/useRoute.js';
import { DocumentRequests, DocumentStatuses } from '../exchange/ExchangeInfo.js';
import { SyncRefusals } from '../sync/SyncRefusals.js';
import { ReceiveActions, SendAction } from '../exchange/ExchangeActions.js';
import { AuditHistory } from './AuditHistory.js';
import { DocumentFiles } from './DocumentFiles.js';
import { DocumentMetadata } from './DocumentMetadata.js';
import { PdfViewer } from './PdfViewer.js';
import { ReceivedSignatureLine } from './ReceivedSignature.js';
import { SignaturePanel } from './SignaturePanel.js';
import { SignDialog } from './SignDialog.js';
import { useDocument } from './useDocument.js';

const isPdf = (f: { mime: string; name: string }) => f.mime === 'application/pdf' || f.name.toLowerCase().endsWith('.pdf');

/** A document: metadata, files, its PDF, history, and the actions its state allows. */
export function DocumentDetail({ id }: { id: number }) {
  const { t } = useI18n();
  const { doc, error, reload } = useDocument(id);

  if (error !== null) {
    return (
      <section className="page">
        <p className="notice notice--error" role="alert">
          {errorMessage(error, t)}
        </p>
        <button type="button" onClick={reload}>
          {t.retry}
        </button>
      </section>
    );
  }
  if (!doc) return <p className="page">{t.loading}</p>;

  const pdf = doc.files.find(isPdf);
  return (
    <article className="page detail" aria-labelledby="page-title">
      <header className="page__header">
        <h1 id="page-title" tabIndex={-1}>
          {doc.subject}
        </h1>
        <DetailActions doc={doc} onChanged={reload} />
      </header>
      <div className="detail__columns">
        <div className="detail__info">
          <DocumentRequests doc={doc} onChanged={reload} />
          <SyncRefusals documentId={doc.id} />
          {doc.receivedSignature && <ReceivedSignatureLine signature={doc.receivedSignature} />}
          <DocumentMetadata doc={doc} />
          {pdf && <SignaturePanel key={pdf.sha256} sha256={pdf.sha256} />}
          <DocumentFiles files={doc.files} />
          {doc.direction === 'outgoing' && <DocumentStatuses doc={doc} />}
          <AuditHistory entries={doc.audit} />
        </div>
        {pdf && <PdfViewer key={pdf.sha256} sha256={pdf.sha256} />}
      </div>
    </article>
  );
}

function DetailActions({ doc, onChanged }: { doc: Detail; onChanged: () => void }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [confirming, setConfirming] = useState(false);
  const [signing, setSigning] = useState(false);
  const [busy, setBusy] = useState(false);
  const back = doc.direction === 'incoming' ? hashes.incoming : hashes.outgoing;

  const issue = async () => {
    setBusy(true);
    try {
      const issued = await call(api().outgoing.issue({ id: doc.id }));
      setConfirming(false);
      announce(t.issuedMessage(codeOf(issued)));
      onChanged();
    } catch (error) {
      setConfirming(false);
      announce(errorMessage(error, t), 'error');
    } finally {
      setBusy(false);
    }
  };

  const draft = doc.direction === 'outgoing' && doc.status === 'draft';
  const pending = doc.direction === 'incoming' && doc.status === 'pending';
  const hasPdf = doc.files.some(isPdf);
  // Sent once over the exchange (the server refuses a second send of the same document; its refusals and statuses show below).
  const sent = doc.audit.some((a) => a.action === 'exchange.send');
  const sendable = doc.direction === 'outgoing' && doc.status === 'issued' && hasPdf && !sent;
  return (
    <div className="page__actions">
      <a className="button" href={back}>
        {t.back}
      </a>
      {pending && <ReceiveActions doc={doc} onChanged={onChanged} />}
      {hasPdf && !pending && doc.status !== 'returned' && (
        <button type="button" onClick={() => setSigning(true)}>
          {t.signButton}
        </button>
      )}
      {sendable && <SendAction doc={doc} onChanged={onChanged} />}
      {((doc.direction === 'incoming' && !pending) || draft) && (
        <button type="button" onClick={() => navigate(hashes.documentEdit(doc.id))}>
          {draft ? t.editDraftTitle : t.detailEdit}
        </button>
      )}
      {draft && (
        <button type="button" className="button--primary" onClick={() => setConfirming(true)}>
          {t.issueButton}
        </button>
      )}
      {signing && (
        <SignDialog
          doc={doc}
          onCancel={() => setSigning(false)}
          onDone={() => {
            setSigning(false);
            onChanged();
          }}
        />
      )}
      {confirming && (
        <ConfirmDialog
          title={t.issueConfirmTitle}
          confirmLabel={t.issueConfirm}
          busy={busy}
          onConfirm={() => void issue()}
          onCancel={() => setConfirming(false)}
        >
          <p>{t.issueConfirmText}</p>
          <p>
            <strong>{doc.subject}</strong>
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
