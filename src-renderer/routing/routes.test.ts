import { describe, expect, it } from 'vitest';
import { parseHash, searchHash } from './routes.js';

describe('hash routes', () => {
  it('parses the screens', () => {
    expect(parseHash('')).toEqual({ name: 'incoming' });
    expect(parseHash('#/outgoing/new')).toEqual({ name: 'outgoingNew' });
    expect(parseHash('#/documents/12')).toEqual({ name: 'document', id: 12 });
    expect(parseHash('#/documents/12/edit')).toEqual({ name: 'documentEdit', id: 12 });
    expect(parseHash('#/documents/abc')).toEqual({ name: 'incoming' });
    expect(parseHash('#/settings')).toEqual({ name: 'settings' });
    expect(parseHash('#/registers')).toEqual({ name: 'registers' });
  });

  it('round-trips a search with filters', () => {
    const query = {
      q: 'cong van',
      sort: 'newest' as const,
      page: 3,
      direction: 'incoming' as const,
      typeId: 4,
      urgency: 2 as const,
      dateFrom: '2025-01-01',
      dateTo: '2025-12-31',
    };
    expect(parseHash(searchHash(query))).toEqual({ name: 'search', query });
    expect(searchHash({ q: '', sort: 'relevance', page: 1 })).toBe('#/search');
  });

  it('ignores malformed search parameters', () => {
    expect(parseHash('#/search?q=a&sort=x&urgency=9&from=2025&page=-1')).toEqual({
      name: 'search',
      query: { q: 'a', sort: 'relevance', page: 1 },
    });
  });
});
