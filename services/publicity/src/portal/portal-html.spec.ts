import type { PublishedDecision } from '../disclosure-core/disclosure';
import { certificatePage, decisionPage, escapeHtml, homePage } from './portal-html';

const record: PublishedDecision = {
  id: 'd1',
  caseId: 'c1',
  decisionNumber: '沪市监处〔2026〕1号',
  agencyId: 'a1',
  agencyName: '<img src=x onerror=alert(1)>市场监管局',
  domain: 'market-regulation',
  partyName: '"><script>alert(1)</script>',
  creditCode: '',
  violation: '销售过期食品 & 其他',
  legalBasis: '《食品安全法》',
  penaltyKinds: ['罚款'],
  content: "决定罚款'五千'元",
  fineYuan: '5000.00',
  confiscationYuan: '0.00',
  decidedOn: '2026-03-02',
  publishedAt: '2026-03-05T02:00:00.000Z',
  publicUntil: '2026-06-04T16:00:00.000Z',
  chainHead: 'a'.repeat(64),
};

describe('portal pages', () => {
  it('escapes everything that came from data', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const pages = [
      homePage([{ id: 'd1', status: 'published', record }], { q: '"><script>' }, [], null),
      decisionPage({ id: 'd1', status: 'published', record }, []),
      certificatePage('<script>', null),
    ];
    for (const page of pages) {
      expect(page).not.toContain('<script>');
      expect(page).not.toContain('<img src=x');
    }
    expect(pages[1]).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('tells an empty page that ends the results from one that only ends its share of the search', () => {
    const last = homePage([], { q: '保质期' }, [], null);
    const short = homePage([], { q: '保质期' }, [], '/portal?q=保质期&after=x');
    expect(last).toContain('没有符合条件的处罚决定');
    expect(last).not.toContain('rel="next"');
    expect(short).not.toContain('没有符合条件的处罚决定');
    expect(short).toContain('请继续查看下一页');
    expect(short).toContain('rel="next"');
  });

  it('is Chinese, scales on a phone and loads only its own assets', () => {
    const page = decisionPage(
      {
        id: 'd1',
        status: 'withdrawn',
        decisionNumber: '沪1号',
        agencyName: '局',
        decidedOn: '2026-03-02',
        withdrawnAt: '2026-03-09T00:00:00.000Z',
        withdrawalReason: '该行政处罚决定已被撤销。',
      },
      [],
    );
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain('name="viewport"');
    expect(page).toContain('该处罚决定已撤回');
    expect(page).toContain('该行政处罚决定已被撤销。');
    expect(page.match(/(?:src|href)="(https?:)?\/\/[^"]*"/g)).toBeNull();
    expect(page).not.toMatch(/<script>[^<]/);
  });

  it('links a changed decision and the withdrawn one it replaces both ways (Art. 48); others link to neither', () => {
    const withdrawn = {
      id: 'd0',
      status: 'withdrawn' as const,
      decisionNumber: '沪1号',
      agencyName: '局',
      decidedOn: '2026-03-02',
      withdrawnAt: '2026-03-09T00:00:00.000Z',
      withdrawalReason: '该行政处罚决定已被变更。',
    };

    expect(decisionPage({ ...withdrawn, replacedBy: 'd1' }, [])).toContain('<a href="/portal/decisions/d1">查看变更后的处罚决定</a>');
    expect(decisionPage({ id: 'd1', status: 'published', record: { ...record, replaces: 'd0' } }, [])).toContain(
      '<a href="/portal/decisions/d0">原处罚决定</a>已撤回',
    );
    expect(decisionPage(withdrawn, [])).not.toContain('变更后的处罚决定');
    expect(decisionPage({ id: 'd1', status: 'published', record }, [])).not.toContain('原处罚决定');
  });
});
