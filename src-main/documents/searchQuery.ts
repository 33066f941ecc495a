/**
 * From what the user typed to an FTS5 MATCH expression. Every word must occur.
 * Words followed by more typing are whole words (exact terms: FTS5 walks their
 * doclists incrementally and stops at the page). The last word may be unfinished:
 * up to three letters it uses the FTS5 prefix index; longer, it is expanded through
 * `search_terms` to the words it completes ("chuye" → "chuyen"), because a prefix
 * query without an index makes FTS5 merge every matching doclist before the first
 * row. Words are quoted, so FTS syntax typed by the user is never interpreted.
 */
import type { Db } from '../store/database.js';
import { searchWords } from './fold.js';

const indexedPrefix = 3;
const maxExpansion = 24;

export function matchExpression(db: Db, text: string): string | null {
  const words = searchWords(text);
  const last = words.pop();
  if (last === undefined) return null;
  const finished = /[\s\p{P}]$/u.test(text);
  const parts = words.map((w) => `"${w}"`);
  parts.push(finished ? `"${last}"` : lastWord(db, last));
  return parts.join(' AND ');
}

function lastWord(db: Db, word: string): string {
  if (word.length <= indexedPrefix) return `"${word}"*`;
  const completions = db
    .prepare('SELECT term FROM search_terms WHERE term >= ? AND term < ? LIMIT ?')
    .pluck()
    .all(word, `${word}\uffff`, maxExpansion + 1) as string[];
  if (completions.length === 0) return `"${word}"`;
  if (completions.length > maxExpansion) return `"${word}"*`;
  return completions.length === 1 ? `"${completions[0]}"` : `(${completions.map((t) => `"${t}"`).join(' OR ')})`;
}
