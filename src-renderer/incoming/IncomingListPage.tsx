import type { DocumentRecord } from '../../src-main/api/types.js';
import { DocumentListPage } from '../documents/DocumentListPage.js';
import { ReceivedSignatureBadge } from '../detail/ReceivedSignature.js';
import { codeOf, urgencyName } from '../documents/labels.js';
import { formatDay, todayInVietnam } from '../format/dates.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { hashes } from '../routing/routes.js';

const openStatuses = new Set(['registered', 'assigned', 'processing']);

/** Sổ văn bản đến: every incoming document, newest first. */
export function IncomingListPage() {
  const { t } = useI18n();
  const today = todayInVietnam();
  const cells = (doc: DocumentRecord) => {
    const overdue = doc.dueDate !== null && doc.dueDate < today && openStatuses.has(doc.status);
    // Chờ tiếp nhận: the verdict helps decide to accept or return; later only a bad one is worth the space.
    const signature = doc.receivedSignature && (doc.status === 'pending' || doc.receivedSignature.verdict === 'invalid') ? doc.receivedSignature : null;
    return (
      <>
        <div role="cell" className="vcell vcell--num">
          {doc.arrivalNumber ?? ''}
        </div>
        <div role="cell" className="vcell">
          {formatDay(doc.arrivalDate)}
        </div>
        <div role="cell" className="vcell" title={doc.senderName ?? ''}>
          {doc.senderName}
        </div>
        <div role="cell" className="vcell">
          {codeOf(doc)}
        </div>
        <div role="cell" className="vcell vcell--subject">
          {signature && <ReceivedSignatureBadge signature={signature} />}{' '}
          <a href={hashes.document(doc.id)} title={doc.subject}>
            {doc.subject}
          </a>
        </div>
        <div role="cell" className={`vcell urgency urgency--${doc.urgency}`}>
          {urgencyName(t, doc.urgency)}
        </div>
        <div role="cell" className={overdue ? 'vcell vcell--overdue' : 'vcell'}>
          {formatDay(doc.dueDate)}
        </div>
      </>
    );
  };
  return (
    <DocumentListPage
      direction="incoming"
      title={t.navIncoming}
      listLabel={t.listLabelIncoming}
      action={{ label: t.registerIncoming, href: hashes.incomingNew }}
      rowClass="vrow--incoming"
      columns={[t.colArrivalNumber, t.colArrivalDate, t.colSender, t.colCode, t.colSubject, t.colUrgency, t.colDue]}
      cells={cells}
    />
  );
}
