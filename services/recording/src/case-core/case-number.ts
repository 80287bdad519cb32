/**
 * Case numbers (案号). Enforcement documents are numbered by year: the sequence restarts on 1 January and the
 * year is part of the number, as in 沪黄市监处罚〔2026〕12号 (the document-format models of the market-regulation
 * procedure rules, 市场监督管理行政处罚程序规定 and its 文书格式范本). Each agency sets its own pattern; the
 * platform's default keeps the form numbers had before agencies could choose.
 *
 * A template is literal text with placeholders: {year} (e.g. 2026, once), {seq} or {seq:N} (the sequence of the
 * year, zero-padded to N digits, once), {region} (the case's division code) and {agency} (the first 8 characters
 * of the agency id).
 */
export const DEFAULT_CASE_NUMBER_TEMPLATE = '{region}-{year}-{agency}{seq:5}';

export const MAX_CASE_NUMBER_TEMPLATE_LENGTH = 48;
/** The column holds 64 characters: a template's text, a year, a division code and up to 8 digits fit in it. */
const MAX_CASE_NUMBER_LENGTH = 64;

const PLACEHOLDER = /\{([a-z]+)(?::(\d+))?\}/g;
const KNOWN = new Set(['year', 'seq', 'region', 'agency']);

export interface CaseNumberParts {
  /** The Shanghai calendar year the case was opened in. */
  year: number;
  /** The agency's sequence within that year, from 1. */
  sequence: number;
  regionCode: string;
  agencyId: string;
}

/** What is wrong with a template (empty when it can be used). */
export function caseNumberTemplateProblems(template: string): string[] {
  const problems: string[] = [];
  if (template.trim() !== template || template.length === 0) problems.push('the template is empty or has spaces at either end');
  if (template.length > MAX_CASE_NUMBER_TEMPLATE_LENGTH) problems.push(`at most ${MAX_CASE_NUMBER_TEMPLATE_LENGTH} characters`);
  // Control characters (a line break in a printed document number) and stray braces are never meant.
  if (/\p{Cc}/u.test(template)) problems.push('control characters are not allowed');
  const counts = new Map<string, number>();
  for (const [, name, width] of template.matchAll(PLACEHOLDER)) {
    if (!KNOWN.has(name)) problems.push(`unknown placeholder {${name}}`);
    else if (width !== undefined && (name !== 'seq' || Number(width) < 1 || Number(width) > 8)) {
      problems.push(`{${name}:${width}}: only {seq} takes a width, from 1 to 8`);
    }
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  if (/[{}]/.test(template.replace(PLACEHOLDER, ''))) problems.push('braces only around a placeholder');
  // Without the year the numbers of two years would repeat; without the sequence every case would share one.
  if (counts.get('year') !== 1) problems.push('{year} exactly once');
  if (counts.get('seq') !== 1) problems.push('{seq} (or {seq:N}) exactly once');
  return problems;
}

export function renderCaseNumber(template: string, parts: CaseNumberParts): string {
  const rendered = template.replace(PLACEHOLDER, (_match, name: string, width?: string) => {
    switch (name) {
      case 'year':
        return String(parts.year);
      case 'seq':
        return String(parts.sequence).padStart(width === undefined ? 1 : Number(width), '0');
      case 'region':
        return parts.regionCode;
      case 'agency':
        return parts.agencyId.slice(0, 8).toUpperCase();
      default:
        throw new Error(`case number template with an unknown placeholder {${name}}`);
    }
  });
  if (rendered.length > MAX_CASE_NUMBER_LENGTH) throw new Error(`case number longer than ${MAX_CASE_NUMBER_LENGTH}: ${rendered}`);
  return rendered;
}
