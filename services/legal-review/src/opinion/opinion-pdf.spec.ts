import * as fs from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { DEFAULT_OPINION_FONT_FILE, DEFAULT_OPINION_LATIN_FONT_FILE } from '../config/legal-review-settings';
import { pdfText } from '../test-support/pdf-text';
import { renderOpinionPdf, type OpinionDocument } from './opinion-pdf';

const document: OpinionDocument = {
  agencyName: '上海市黄浦区市场监督管理局',
  caseNumber: '沪黄市监案〔2026〕18号',
  round: 2,
  proposal: ['罚款 250000.00元', '没收违法所得 50000.00元'],
  legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
  discretion: '一般处罚，罚款幅度 100000.00元至200000.00元，拟处罚款超出幅度；说明理由：多次违法',
  items: Array.from({ length: 8 }, (_, index) => ({
    title: `审核事项${index + 1}`,
    result: '通过',
    comment: index === 7 ? '未发现涉嫌犯罪' : '',
  })),
  conclusion: '同意',
  opinion: '事实清楚，证据确凿，适用依据正确，程序合法，处罚适当。'.repeat(6),
  reviewer: '王审核',
  date: '2026年3月2日',
};

describe(renderOpinionPdf.name, () => {
  const font = { cjk: fs.readFileSync(DEFAULT_OPINION_FONT_FILE), latin: fs.readFileSync(DEFAULT_OPINION_LATIN_FONT_FILE) };

  it('renders a PDF that opens, with the agency, the case number, every item and the conclusion in its text', async () => {
    const bytes = Buffer.from(await renderOpinionPdf(document, font));
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const opened = await PDFDocument.load(bytes);
    expect(opened.getPageCount()).toBeGreaterThanOrEqual(1);
    expect(opened.getTitle()).toBe('法制审核意见书 沪黄市监案〔2026〕18号');
    const text = pdfText(bytes).join('');
    expect(text).toContain('上海市黄浦区市场监督管理局');
    expect(text).toContain('法制审核意见书');
    expect(text).toContain('案件编号：沪黄市监案〔2026〕18号');
    expect(text).toContain('审核结论：同意');
    expect(text).toContain('8. 审核事项8：通过。未发现涉嫌犯罪');
    expect(text).not.toContain('\uFFFD');
    // The long opinion is wrapped, not cut: all of it is there.
    expect(pdfText(bytes).join('')).toContain(document.opinion);
  });

  it('renders the same bytes from the same facts (the digest identifies the opinion)', async () => {
    const [first, second] = await Promise.all([renderOpinionPdf(document, font), renderOpinionPdf(document, font)]);
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
  });
});
