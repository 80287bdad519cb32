/**
 * Keyword search inside words (食品 finds 食品经营许可): Chinese has no spaces to split words at, so every published
 * decision is indexed by the characters and character pairs (bigrams) of its searchable text, and a keyword is looked
 * up by one of its pairs, then checked whole against the normalized text. An index read in publication order stops
 * after a page of hits, whatever the number of decisions.
 */

/** Full-width to half-width (NFKC), lower case, no spaces: the form both the text and the keyword are compared in. */
export function normalizeForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/** The characters and character pairs of a normalized text, each once. */
export function searchTerms(normalized: string, maxLength = 400): string[] {
  const chars = [...normalized.slice(0, maxLength)];
  const terms = new Set<string>();
  for (let i = 0; i < chars.length; i++) {
    terms.add(chars[i]);
    if (i + 1 < chars.length) terms.add(chars[i] + chars[i + 1]);
  }
  return [...terms];
}

/** The terms a keyword may be looked up by: its pairs, or the character of a one-character keyword. */
export function keywordTerms(keyword: string): string[] {
  const chars = [...normalizeForSearch(keyword)];
  if (chars.length === 0) return [];
  if (chars.length === 1) return chars;
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) pairs.add(chars[i] + chars[i + 1]);
  return [...pairs];
}
