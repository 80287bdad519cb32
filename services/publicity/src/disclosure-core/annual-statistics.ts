import { penaltyKindName } from '@enforcement/contracts';

/** What the statistics read of one decision of the year (every decision, published or not: counts only). */
export interface StatisticsRow {
  agencyId: string;
  status: string;
  penaltyKinds: string[];
  fineFen: number;
  confiscationFen: number;
  dueAt: Date;
  publishedAt: Date | null;
}

export interface AgencyStatistics {
  agencyId: string;
  agencyName: string;
  year: number;
  decisions: number;
  published: number;
  publishedOnTime: number;
  notPublished: number;
  withdrawn: number;
  /** Pending past their deadline when counted. */
  overdue: number;
  byPenaltyKind: Record<string, number>;
  fineYuan: string;
  confiscationYuan: string;
}

/**
 * Each agency's enforcement statistics of a year (国办发〔2018〕118号: published by 31 January of the next year): how
 * many decisions, how many published and on time, withdrawn, never published, and the penalties imposed.
 */
export function annualStatistics(year: number, rows: StatisticsRow[], agencyNames: Map<string, string>, now: Date): AgencyStatistics[] {
  const byAgency = new Map<string, AgencyStatistics & { fine: number; confiscation: number }>();
  for (const row of rows) {
    let stats = byAgency.get(row.agencyId);
    if (!stats) {
      stats = {
        agencyId: row.agencyId,
        agencyName: agencyNames.get(row.agencyId) ?? '',
        year,
        decisions: 0,
        published: 0,
        publishedOnTime: 0,
        notPublished: 0,
        withdrawn: 0,
        overdue: 0,
        byPenaltyKind: {},
        fineYuan: '0.00',
        confiscationYuan: '0.00',
        fine: 0,
        confiscation: 0,
      };
      byAgency.set(row.agencyId, stats);
    }
    stats.decisions++;
    if (row.publishedAt) {
      stats.published++;
      if (row.publishedAt.getTime() < row.dueAt.getTime()) stats.publishedOnTime++;
    }
    if (row.status === 'not-published') stats.notPublished++;
    if (row.status === 'withdrawn') stats.withdrawn++;
    if (row.status === 'pending-review' && now.getTime() >= row.dueAt.getTime()) stats.overdue++;
    for (const kind of new Set(row.penaltyKinds)) {
      const label = penaltyKindName(kind);
      stats.byPenaltyKind[label] = (stats.byPenaltyKind[label] ?? 0) + 1;
    }
    stats.fine += row.fineFen;
    stats.confiscation += row.confiscationFen;
  }
  return [...byAgency.values()]
    .map(({ fine, confiscation, ...stats }) => ({
      ...stats,
      fineYuan: (fine / 100).toFixed(2),
      confiscationYuan: (confiscation / 100).toFixed(2),
    }))
    .sort((a, b) => (a.agencyName < b.agencyName ? -1 : a.agencyName > b.agencyName ? 1 : a.agencyId < b.agencyId ? -1 : 1));
}

/** The CSV columns of the statistics download. */
export const STATISTICS_COLUMNS: ReadonlyArray<[string, (s: AgencyStatistics) => string]> = [
  ['年度', (s) => String(s.year)],
  ['执法机关', (s) => s.agencyName],
  ['行政处罚决定数', (s) => String(s.decisions)],
  ['已公开数', (s) => String(s.published)],
  ['按期公开数', (s) => String(s.publishedOnTime)],
  ['依法不予公开数', (s) => String(s.notPublished)],
  ['撤回数', (s) => String(s.withdrawn)],
  ['逾期未公开数', (s) => String(s.overdue)],
  ['罚款金额（元）', (s) => s.fineYuan],
  ['没收金额（元）', (s) => s.confiscationYuan],
  [
    '处罚类别',
    (s) =>
      Object.entries(s.byPenaltyKind)
        .map(([kind, n]) => `${kind}${n}`)
        .join('；'),
  ],
];
