/**
 * Folding of Vietnamese text for search: the same function is applied to what is
 * indexed and to what the user types, so "cong van", "Công văn" (NFC) and the NFD
 * spelling all meet. Removing combining marks is not enough for Vietnamese: đ/Đ is a
 * letter of its own (U+0111/U+0110), not d plus a mark, so it is mapped explicitly.
 */
const combiningMarks = /\p{M}/gu;

function foldSlow(text: string): string {
  return text.normalize('NFD').replace(combiningMarks, '').replace(/[đĐ]/g, 'd').toLowerCase().normalize('NFC');
}

/**
 * Folded form of every code unit up to U+1EFF (Latin, Latin Extended, Vietnamese),
 * computed once with the slow path; folding is then one table look-up a character.
 */
const table: string[] = Array.from({ length: 0x1f00 }, (_, code) => foldSlow(String.fromCharCode(code)));
const hasCombiningMark = /[\u0300-\u036f]/;

export function foldVietnamese(text: string): string {
  const nfc = hasCombiningMark.test(text) ? text.normalize('NFC') : text;
  let out = '';
  for (let i = 0; i < nfc.length; i += 1) {
    const code = nfc.charCodeAt(i);
    out += code < 0x1f00 ? table[code] : foldSlow(nfc[i]!);
  }
  return out;
}

/** Splits folded text into search words: letters and digits only. */
export function searchWords(text: string): string[] {
  return foldVietnamese(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}
