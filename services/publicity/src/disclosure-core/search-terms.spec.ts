import { keywordTerms, normalizeForSearch, searchTerms } from './search-terms';

describe('search terms', () => {
  it('normalizes full-width letters and digits, case and spaces', () => {
    expect(normalizeForSearch('ＡＢＣ 食品 １２３')).toBe('abc食品123');
  });

  it('indexes every character and pair, so a keyword inside a word is found', () => {
    const terms = searchTerms(normalizeForSearch('未取得食品经营许可'));
    for (const term of keywordTerms('食品')) expect(terms).toContain(term);
    for (const term of keywordTerms('经营许可')) expect(terms).toContain(term);
    expect(terms).toContain('营');
    expect(new Set(terms).size).toBe(terms.length);
  });

  it('looks a keyword up by its triples, a pair or a single character by itself', () => {
    expect(keywordTerms('食品经营')).toEqual(['食品经', '品经营']);
    expect(keywordTerms('食品')).toEqual(['食品']);
    expect(keywordTerms(' 食 ')).toEqual(['食']);
    expect(keywordTerms('  ')).toEqual([]);
    expect(searchTerms('123456')).toEqual(expect.arrayContaining(['1', '12', '123', '456']));
  });
});
