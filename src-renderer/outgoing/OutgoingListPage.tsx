import type { DocumentRecord } from '../../src-main/api/types.js';
import { DocumentListPage } from '../documents/DocumentListPage.js';
import { codeOf, statusName } from '../documents/labels.js';
import { formatDay } from '../format/dates.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { hashes } from '../routing/routes.js';

/** Sổ văn bản đi: drafts and issued documents, newest first. */
export function OutgoingListPage() {
  const { t } = useI18n();
  const cells = (doc: DocumentRecord) => (
    <>
      <div role="cell" className="vcell">
        {codeOf(doc) || '—'}
      </div>
      <div role="cell" className="vcell">
        {formatDay(doc.documentDate)}
      </div>
      <div role="cell" className="vcell">
        {doc.typeName}
      </div>
      <div role="cell" className="vcell vcell--subject">
        <a href={hashes.document(doc.id)} title={doc.subject}>
          {doc.subject}
        </a>
      </div>
      <div role="cell" className="vcell">
        {doc.signerName}
      </div>
      <div role="cell" className={`vcell status status--${doc.status}`}>
        {statusName(t, doc.status)}
      </div>
    </>
  );
  return (
    <DocumentListPage
      direction="outgoing"
      title={t.navOutgoing}
      listLabel={t.listLabelOutgoing}
      action={{ label: t.composeOutgoing, href: hashes.outgoingNew }}
      rowClass="vrow--outgoing"
      columns={[t.colCode, t.colDate, t.colType, t.colSubject, t.colSigner, t.colStatus]}
      cells={cells}
    />
  );
}
