import { caseNumberTemplateProblems, DEFAULT_CASE_NUMBER_TEMPLATE, renderCaseNumber } from './case-number';

const parts = { year: 2026, sequence: 12, regionCode: '310101', agencyId: 'a1b2c3d4-0000-4000-8000-000000000000' };

describe('case numbers', () => {
  it('renders an agency pattern such as 沪黄市监处罚〔2026〕12号', () => {
    expect(renderCaseNumber('沪黄市监处罚〔{year}〕{seq}号', parts)).toBe('沪黄市监处罚〔2026〕12号');
    expect(renderCaseNumber('沪黄市监处罚〔{year}〕{seq:4}号', { ...parts, sequence: 7 })).toBe('沪黄市监处罚〔2026〕0007号');
  });

  it('keeps the default form numbers had before agencies could choose', () => {
    expect(caseNumberTemplateProblems(DEFAULT_CASE_NUMBER_TEMPLATE)).toEqual([]);
    expect(renderCaseNumber(DEFAULT_CASE_NUMBER_TEMPLATE, parts)).toBe('310101-2026-A1B2C3D400012');
  });

  it('accepts a pattern with the year and the sequence once each', () => {
    expect(caseNumberTemplateProblems('{region}罚〔{year}〕第{seq:3}号')).toEqual([]);
  });

  it.each([
    ['no year: numbers of two years would repeat', '沪黄市监处罚第{seq}号', '{year} exactly once'],
    ['no sequence: every case of a year would share a number', '沪黄市监处罚〔{year}〕号', '{seq} (or {seq:N}) exactly once'],
    ['the sequence twice', '〔{year}〕{seq}-{seq}号', '{seq} (or {seq:N}) exactly once'],
    ['an unknown placeholder', '〔{year}〕{seq}号{officer}', 'unknown placeholder {officer}'],
    ['a width on the year', '〔{year:2}〕{seq}号', '{year:2}: only {seq} takes a width, from 1 to 8'],
    ['a width beyond 8', '〔{year}〕{seq:9}号', '{seq:9}: only {seq} takes a width, from 1 to 8'],
    ['a stray brace', '〔{year}〕{seq}号}', 'braces only around a placeholder'],
    ['a line break', '〔{year}〕\n{seq}号', 'control characters are not allowed'],
    ['spaces around it', ' 〔{year}〕{seq}号', 'the template is empty or has spaces at either end'],
    ['too long', `${'长'.repeat(45)}{year}{seq}`, 'at most 48 characters'],
  ])('refuses a pattern with %s', (_case, template, problem) => {
    expect(caseNumberTemplateProblems(template)).toContain(problem);
  });
});
