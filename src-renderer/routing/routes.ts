/**
 * Hash routes (#/incoming, #/documents/12 …): they survive reloads under file:// and
 * custom protocols and need no router library. Pure functions, tested in routes.test.ts.
 */
export type SearchSort = 'relevance' | 'newest' | 'oldest';

export interface SearchQuery {
  q: string;
  sort: SearchSort;
  page: number; // 1-based
  direction?: 'incoming' | 'outgoing';
  typeId?: number;
  urgency?: 0 | 1 | 2 | 3 | 4;
  dateFrom?: string;
  dateTo?: string;
}

export type Route =
  | { name: 'incoming' }
  | { name: 'incomingNew' }
  | { name: 'outgoing' }
  | { name: 'outgoingNew' }
  | { name: 'document'; id: number }
  | { name: 'documentEdit'; id: number }
  | { name: 'search'; query: SearchQuery }
  | { name: 'registers' }
  | { name: 'settings' };

const day = /^\d{4}-\d{2}-\d{2}$/;

function positiveInt(value: string | null | undefined): number | undefined {
  if (!value || !/^\d{1,9}$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 ? n : undefined;
}

function parseSearch(params: URLSearchParams): SearchQuery {
  const sort = params.get('sort');
  const direction = params.get('direction');
  const urgency = params.get('urgency');
  const query: SearchQuery = {
    q: params.get('q') ?? '',
    sort: sort === 'newest' || sort === 'oldest' ? sort : 'relevance',
    page: positiveInt(params.get('page')) ?? 1,
  };
  if (direction === 'incoming' || direction === 'outgoing') query.direction = direction;
  const typeId = positiveInt(params.get('type'));
  if (typeId) query.typeId = typeId;
  if (urgency && /^[0-4]$/.test(urgency)) query.urgency = Number(urgency) as SearchQuery['urgency'];
  const from = params.get('from');
  const to = params.get('to');
  if (from && day.test(from)) query.dateFrom = from;
  if (to && day.test(to)) query.dateTo = to;
  return query;
}

/** "#/documents/12/edit" → { name: 'documentEdit', id: 12 }; unknown hashes → incoming list. */
export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [path = '', search = ''] = raw.split('?', 2);
  const parts = path.split('/').filter(Boolean);
  const [first, second, third] = parts;
  switch (first) {
    case 'outgoing':
      return second === 'new' ? { name: 'outgoingNew' } : { name: 'outgoing' };
    case 'incoming':
      return second === 'new' ? { name: 'incomingNew' } : { name: 'incoming' };
    case 'documents': {
      const id = positiveInt(second);
      if (id) return third === 'edit' ? { name: 'documentEdit', id } : { name: 'document', id };
      return { name: 'incoming' };
    }
    case 'search':
      return { name: 'search', query: parseSearch(new URLSearchParams(search)) };
    case 'registers':
      return { name: 'registers' };
    case 'settings':
      return { name: 'settings' };
    default:
      return { name: 'incoming' };
  }
}

/** The hash for a search; empty and default values are left out. */
export function searchHash(query: SearchQuery): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.sort !== 'relevance') params.set('sort', query.sort);
  if (query.direction) params.set('direction', query.direction);
  if (query.typeId) params.set('type', String(query.typeId));
  if (query.urgency !== undefined) params.set('urgency', String(query.urgency));
  if (query.dateFrom) params.set('from', query.dateFrom);
  if (query.dateTo) params.set('to', query.dateTo);
  if (query.page > 1) params.set('page', String(query.page));
  const qs = params.toString();
  return qs ? `#/search?${qs}` : '#/search';
}

export const hashes = {
  incoming: '#/incoming',
  incomingNew: '#/incoming/new',
  outgoing: '#/outgoing',
  outgoingNew: '#/outgoing/new',
  registers: '#/registers',
  settings: '#/settings',
  document: (id: number) => `#/documents/${id}`,
  documentEdit: (id: number) => `#/documents/${id}/edit`,
};
