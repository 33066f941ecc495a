import { describe, expect, it } from 'vitest';
import { matchExpression } from '../../src-main/documents/searchQuery.js';
import { registerIncoming } from '../../src-main/documents/incomingRegister.js';
import { freshServices, incomingInput } from '../helpers.js';

describe('query building', () => {
  it('matches finished words exactly and the word being typed as a prefix', async () => {
    const s = freshServices();
    await registerIncoming(s.db, s.files, incomingInput(s, { subject: 'Chuyển đổi số trong chuyên môn' }));
    expect(matchExpression(s.db, 'Công văn')).toBe('"cong" AND "van"*');
    expect(matchExpression(s.db, 'cong van ')).toBe('"cong" AND "van"');
    expect(matchExpression(s.db, 'tr')).toBe('"tr"*');
    // Longer unfinished words are expanded through the vocabulary of indexed words
    // (chuyển and chuyên both fold to chuyen).
    expect(matchExpression(s.db, 'so chuy')).toBe('"so" AND "chuyen"');
    expect(matchExpression(s.db, 'xyzw')).toBe('"xyzw"');
    expect(matchExpression(s.db, ' .. ')).toBeNull();
  });

  it('falls back to the FTS prefix when a prefix completes too many words', () => {
    const s = freshServices();
    s.db.prepare('INSERT INTO search_terms (term) SELECT value FROM json_each(?)').run(
      JSON.stringify(Array.from({ length: 30 }, (_, i) => `kiemtra${i}`)),
    );
    s.db.prepare("INSERT INTO search_terms (term) VALUES ('kiemke'), ('kiemtoan')").run();
    expect(matchExpression(s.db, 'kiem')).toBe('"kiem"*');
    expect(matchExpression(s.db, 'kiemt')).toBe('"kiemt"*');
    expect(matchExpression(s.db, 'kiemk')).toBe('"kiemke"');
    expect(matchExpression(s.db, 'kiemto')).toBe('"kiemtoan"');
  });

  it('quotes everything the user types, so FTS syntax is never interpreted', () => {
    const s = freshServices();
    expect(matchExpression(s.db, 'a" OR x NEAR(')).toBe('"a" AND "or" AND "x" AND "near"');
  });
});
