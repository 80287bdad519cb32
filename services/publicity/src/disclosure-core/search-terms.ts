/**
 * Keyword search inside words (食品 finds 食品经营许可): Chinese has no spaces to split words at, so every published
 * decision is indexed by the characters, character pairs and triples of its searchable text, and a keyword is looked
 * up by its rarest piece (a triple when it has three characters: digits and common pairs say little on their own),
 * then checked whole against the normalized text. An index read in publication order stops after a page of hits.
 */

/** Full-width to half-width (NFKC), lower case, no spaces: the form both the text and the keyword are compared in. */
export function normalizeForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/** The length of `disclosures.search_text`: what is indexed of a decision's searchable text. */
export const SEARCH_TEXT_MAX_LENGTH = 1000;

/** The text a decision is indexed by: its searchable text normalized, cut to the column. */
export function indexedText(searchable: string): string {
  return normalizeForSearch(searchable).slice(0, SEARCH_TEXT_MAX_LENGTH);
}

/** What a visitor may look a published decision up by, as one text (normalized and indexed by its terms). */
export function searchableText(published: {
  violation: string;
  partyName: string;
  agencyName: string;
  decisionNumber: string;
  creditCode: string;
  penaltyKinds: string[];
}): string {
  return [
    published.violation,
    published.partyName,
    published.agencyName,
    published.decisionNumber,
    published.creditCode,
    ...published.penaltyKinds,
  ].join(' ');
}

/** The characters, character pairs and triples of a normalized text, each once. */
export function searchTerms(normalized: string, maxLength = 400): string[] {
  const chars = [...normalized.slice(0, maxLength)];
  const terms = new Set<string>();
  for (let i = 0; i < chars.length; i++) {
    terms.add(chars[i]);
    if (i + 1 < chars.length) terms.add(chars[i] + chars[i + 1]);
    if (i + 2 < chars.length) terms.add(chars[i] + chars[i + 1] + chars[i + 2]);
  }
  return [...terms];
}

/** The terms a keyword may be looked up by: its triples, its pair, or its one character. */
export function keywordTerms(keyword: string): string[] {
  const chars = [...normalizeForSearch(keyword)];
  if (chars.length <= 2) return chars.length === 0 ? [] : [chars.join('')];
  const triples = new Set<string>();
  for (let i = 0; i + 2 < chars.length; i++) triples.add(chars[i] + chars[i + 1] + chars[i + 2]);
  return [...triples];
}
