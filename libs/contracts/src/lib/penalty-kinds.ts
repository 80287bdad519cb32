/**
 * The kinds of administrative penalty (Administrative Penalty Law Art. 9) as events carry them (`Penalty.kind`),
 * with their names in the law. One vocabulary for every service: recording records them, legal review matches
 * its catalog on them, publicity publishes them by name.
 */
export const PENALTY_KINDS = [
  'warning',
  'criticism',
  'fine',
  'confiscation',
  'qualification-lowering',
  'licence-suspension',
  'licence-revocation',
  'production-suspension',
  'business-closure',
  'practice-restriction',
  'detention',
] as const;
export type PenaltyKind = (typeof PENALTY_KINDS)[number];

/** 处罚类别 as the law names them (Art. 9 items 1-6). */
export const PENALTY_KIND_NAMES: Readonly<Record<PenaltyKind, string>> = {
  warning: '警告',
  criticism: '通报批评',
  fine: '罚款',
  confiscation: '没收违法所得、没收非法财物',
  'qualification-lowering': '降低资质等级',
  'licence-suspension': '暂扣许可证件',
  'licence-revocation': '吊销许可证件',
  'production-suspension': '责令停产停业',
  'business-closure': '责令关闭',
  'practice-restriction': '限制从业',
  detention: '行政拘留',
};

export function isPenaltyKind(kind: string): kind is PenaltyKind {
  return (PENALTY_KINDS as readonly string[]).includes(kind);
}

/** A kind's name in the law; an unknown kind as it came. */
export function penaltyKindName(kind: string): string {
  return isPenaltyKind(kind) ? PENALTY_KIND_NAMES[kind] : kind;
}
