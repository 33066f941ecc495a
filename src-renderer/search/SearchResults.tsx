import type { SearchHit } from '../../src-main/api/types.js';
import { codeOf } from '../documents/labels.js';
import { formatDay } from '../format/dates.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { hashes } from '../routing/routes.js';

/** One page of hits: trích yếu (a link to the detail), số/ký hiệu, date, snippet. */
export function SearchResults({ hits, stale }: { hits: SearchHit[]; stale: boolean }) {
  const { t } = useI18n();
  return (
    <ol className={`hits${stale ? ' hits--stale' : ''}`} aria-label={t.resultsLabel} aria-busy={stale}>
      {hits.map((hit) => (
        <li key={hit.id} className="hit">
          <h2 className="hit__title">
            <a href={hashes.document(hit.id)}>{hit.subject}</a>
          </h2>
          <p className="hit__meta">
            <span>{t.directionNames[hit.direction]}</span>
            {codeOf(hit) && <span>{codeOf(hit)}</span>}
            <span>{hit.typeName}</span>
            {(hit.arrivalDate ?? hit.documentDate) && <span>{formatDay(hit.arrivalDate ?? hit.documentDate)}</span>}
            {hit.senderName && <span>{hit.senderName}</span>}
          </p>
          {hit.snippet && <p className="hit__snippet">{hit.snippet}</p>}
        </li>
      ))}
    </ol>
  );
}
