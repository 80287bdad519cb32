import type { PublishedDecision } from '../disclosure-core/disclosure';
import type { DisclosureEntity } from '../disclosures/disclosure.entity';

/**
 * A decision as the portal shows it: the published record, or, once withdrawn, only who decided what and when with
 * the public reason in the record's place (Art. 48). Built only from what was published: never the original.
 */
export type PublicDecisionView =
  | { id: string; status: 'published'; record: PublishedDecision }
  | {
      id: string;
      status: 'withdrawn';
      decisionNumber: string;
      agencyName: string;
      decidedOn: string;
      withdrawnAt: string;
      withdrawalReason: string;
      /** The changed decision published in its place, when there is one. */
      replacedBy?: string;
    };

export function publicDecisionView(row: DisclosureEntity): PublicDecisionView {
  const record = row.published;
  if (!record) throw new Error(`disclosure ${row.id} has no published record`);
  if (row.status === 'withdrawn') {
    return {
      id: row.id,
      status: 'withdrawn',
      decisionNumber: record.decisionNumber,
      agencyName: record.agencyName,
      decidedOn: record.decidedOn,
      withdrawnAt: (row.withdrawnAt ?? new Date(0)).toISOString(),
      withdrawalReason: row.withdrawalReason ?? '',
      ...(row.replacedById ? { replacedBy: row.replacedById } : {}),
    };
  }
  return { id: row.id, status: 'published', record };
}

/** The 双公示 columns of the open data, in their order, with their Chinese names. */
export const OPEN_DATA_COLUMNS: ReadonlyArray<[string, (r: PublishedDecision) => string]> = [
  ['相对人名称', (r) => r.partyName],
  ['统一社会信用代码', (r) => r.creditCode],
  ['决定文书号', (r) => r.decisionNumber],
  ['违法行为类型', (r) => r.violation],
  ['处罚依据', (r) => r.legalBasis],
  ['处罚类别', (r) => r.penaltyKinds.join('、')],
  ['处罚内容', (r) => r.content],
  ['罚款金额（元）', (r) => r.fineYuan],
  ['没收金额（元）', (r) => r.confiscationYuan],
  ['决定日期', (r) => r.decidedOn],
  ['处罚机关', (r) => r.agencyName],
  ['公示截止期', (r) => r.publicUntil.slice(0, 10)],
];

/** RFC 4180 CSV: a field with a comma, quote or line break is quoted, quotes doubled; formulas defused. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(fields: string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}
