import { keywordTerms, normalizeForSearch, searchableText, searchTerms } from './search-terms';

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

  it('makes a decision findable by its violation, party, agency, decision number, credit code and penalty kinds', () => {
    const text = normalizeForSearch(
      searchableText({
        violation: '虚假宣传',
        partyName: '上海某贸易有限公司',
        agencyName: '上海市黄浦区市场监督管理局',
        decisionNumber: '沪市监处〔2025〕12号',
        creditCode: '91310101MA1FL5LX3K',
        penaltyKinds: ['罚款', '没收违法所得'],
      }),
    );
    for (const keyword of ['宣传', '贸易', '黄浦区', '〔2025〕12', '91310101ma1fl5lx3k', '没收违法所得']) {
      expect(text).toContain(normalizeForSearch(keyword));
    }
  });

  it('looks a keyword up by its triples, a pair or a single character by itself', () => {
    expect(keywordTerms('食品经营')).toEqual(['食品经', '品经营']);
    expect(keywordTerms('食品')).toEqual(['食品']);
    expect(keywordTerms(' 食 ')).toEqual(['食']);
    expect(keywordTerms('  ')).toEqual([]);
    expect(searchTerms('123456')).toEqual(expect.arrayContaining(['1', '12', '123', '456']));
  });
});
