import type { DocumentDetail } from '../../src-main/api/types.js';
import { useMasterData } from '../app/MasterDataContext.js';
import { codeOf, confidentialityName, statusName, urgencyName } from '../documents/labels.js';
import { formatDay, formatInstant } from '../format/dates.js';
import { useI18n } from '../i18n/I18nProvider.js';

/** Every metadata field of a document as a definition list (dd/MM/yyyy, HH:mm dd/MM/yyyy). */
export function DocumentMetadata({ doc }: { doc: DocumentDetail }) {
  const { t } = useI18n();
  const { data } = useMasterData();
  const unitName = (id: number | null) => data.units.find((u) => u.id === id)?.name ?? '';
  const code = codeOf(doc);

  const incoming = doc.direction === 'incoming';
  const rows: [string, string][] = incoming
    ? [
        [t.colArrivalNumber, doc.arrivalNumber === null ? '' : String(doc.arrivalNumber)],
        [t.colArrivalDate, formatDay(doc.arrivalDate)],
        [t.fSender, doc.senderName ?? ''],
        [t.fDocumentDate, formatDay(doc.documentDate)],
        [t.fType, doc.typeName],
        [t.fUrgency, urgencyName(t, doc.urgency)],
        [t.fConfidentiality, confidentialityName(t, doc.confidentiality)],
        [t.fRecipientUnit, unitName(doc.recipientUnitId)],
        [t.fRecipientPerson, doc.recipientPerson ?? ''],
        [t.fDueDate, formatDay(doc.dueDate)],
      ]
    : [
        [t.fDocumentDate, formatDay(doc.documentDate)],
        [t.fType, doc.typeName],
        [t.fSigner, doc.signerName ?? ''],
        [t.fSignerPosition, doc.signerPosition ?? ''],
        [t.fRecipients, doc.recipients ?? ''],
        [t.fDraftingUnit, unitName(doc.draftingUnitId)],
        [t.fUrgency, urgencyName(t, doc.urgency)],
        [t.fConfidentiality, confidentialityName(t, doc.confidentiality)],
        [t.detailIssuedAt, formatInstant(doc.issuedAt)],
      ];

  return (
    <section aria-labelledby="meta-title">
      <h2 id="meta-title">{t.detailInfo}</h2>
      <dl className="meta">
        <div>
          <dt>{t.detailDirection}</dt>
          <dd>{t.directionNames[doc.direction]}</dd>
        </div>
        <div>
          <dt>{t.detailStatus}</dt>
          <dd>{statusName(t, doc.status)}</dd>
        </div>
        <div>
          <dt>{t.detailCode}</dt>
          <dd aria-label={t.detailCode} className="meta__code">
            {code || '—'}
          </dd>
        </div>
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value || '—'}</dd>
          </div>
        ))}
        <div className="meta__wide">
          <dt>{t.fNote}</dt>
          <dd>{doc.note || '—'}</dd>
        </div>
        <div>
          <dt>{t.detailCreatedAt}</dt>
          <dd>{formatInstant(doc.createdAt)}</dd>
        </div>
        <div>
          <dt>{t.detailUpdatedAt}</dt>
          <dd>{formatInstant(doc.updatedAt)}</dd>
        </div>
      </dl>
    </section>
  );
}
