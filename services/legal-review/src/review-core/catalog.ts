import { penaltyKindName } from '@enforcement/contracts';
import { ARTICLES, LegalReviewError } from './legal-review.error';
import {
  isPenaltyKind,
  PARTY_KINDS,
  PROPOSAL_FLAGS,
  totalFen,
  yuan,
  type PartyKind,
  type PenaltyKind,
  type Proposal,
  type ProposalFlag,
} from './proposal';

/** The grounds of Administrative Penalty Law Art. 58 para. 1 on which a catalog rule makes review mandatory. */
export const REVIEW_GROUNDS = ['major-public-interest', 'major-rights-after-hearing', 'complex', 'law-named'] as const;
export type ReviewGround = (typeof REVIEW_GROUNDS)[number];

const GROUND_TEXT: Record<ReviewGround, string> = {
  'major-public-interest': '涉及重大公共利益（第五十八条第一款第一项）',
  'major-rights-after-hearing': '直接关系当事人或者第三人重大权益，经过听证程序（第五十八条第一款第二项）',
  complex: '案件情况疑难复杂、涉及多个法律关系（第五十八条第一款第三项）',
  'law-named': '法律、法规规定应当进行法制审核的其他情形（第五十八条第一款第四项）',
};

/** Amounts per party kind, in fen; a kind left out is never matched by the amount. */
export type AmountByParty = Partial<Record<PartyKind, number>>;

/**
 * What a proposal must show for a rule (or a collective-decision condition) to match. Every criterion given must
 * hold (and); inside a list, one entry is enough (or). A rule without any criterion is refused when saved.
 */
export interface CatalogCriteria {
  /** Enforcement domains the rule covers; absent: every domain of the agency. */
  domains?: string[];
  /** Any of these penalty kinds is proposed (licence revocation, suspension of business, closure, …). */
  penaltyKinds?: PenaltyKind[];
  /** The proposal's fines together reach this amount for the party's kind. */
  minFineTotalFen?: AmountByParty;
  /** The proposal's confiscations together reach this amount for the party's kind. */
  minConfiscationTotalFen?: AmountByParty;
  /** A hearing was held in the case. */
  hearingHeld?: boolean;
  /** Every one of these flags is set on the proposal. */
  flags?: ProposalFlag[];
  /** Every one of these declared conditions is on the proposal. */
  conditions?: string[];
}

/** One entry of the major-decision catalog (重大执法决定法制审核目录清单, 国办发〔2018〕118号; Art. 58). */
export interface CatalogRule extends CatalogCriteria {
  /** Stable within the agency across versions, e.g. "R-001". */
  id: string;
  title: string;
  ground: ReviewGround;
}

/** A condition that requires the leadership's collective decision (集体讨论, Art. 57 para. 2). */
export interface CollectiveDecisionCondition extends CatalogCriteria {
  id: string;
  title: string;
}

/** The "large amount" (较大数额) of Art. 63 per party kind, for fines and confiscations. */
export interface HearingThresholds {
  largeFineFen: Record<PartyKind, number>;
  largeConfiscationFen: Record<PartyKind, number>;
}

/** What an agency administrator publishes as one version of the catalog: data, never constants. */
export interface CatalogContent {
  rules: CatalogRule[];
  hearingThresholds: HearingThresholds;
  collectiveDecisionConditions: CollectiveDecisionCondition[];
  /** Working days a review may take (default 5), counted on the working-day calendar (Art. 85 by analogy). */
  reviewWorkingDays: number;
}

export interface CatalogVersion {
  agencyId: string;
  version: number;
  content: CatalogContent;
}

/** One criterion that held, in words a reviewer reads. */
export interface RuleMatch {
  ruleId: string;
  title: string;
  ground: ReviewGround;
  article: string;
  reasons: string[];
}

export interface CatalogEvaluation {
  agencyId: string;
  catalogVersion: number;
  /** Some catalog rule matched: review is mandatory before the decision (Art. 58). */
  reviewRequired: boolean;
  matches: RuleMatch[];
  /** Art. 63: the party may ask for a hearing, and why. */
  hearing: { available: boolean; reasons: string[]; article: string };
  /** Art. 57 para. 2: the leadership decides collectively, and on which conditions. */
  collectiveDecision: { required: boolean; conditionIds: string[]; reasons: string[]; article: string };
}

/** The penalties for which a hearing may always be asked (Art. 63 para. 1 items 2-4). */
const ALWAYS_HEARING: ReadonlySet<string> = new Set<PenaltyKind>([
  'qualification-lowering',
  'licence-revocation',
  'licence-suspension',
  'production-suspension',
  'business-closure',
  'practice-restriction',
]);

/** Common defaults for a new catalog (1 万元 / 10 万元), to be replaced by the agency's own figures. */
export const DEFAULT_HEARING_THRESHOLDS: HearingThresholds = {
  largeFineFen: { 'natural-person': 1_000_000, organisation: 10_000_000 },
  largeConfiscationFen: { 'natural-person': 1_000_000, organisation: 10_000_000 },
};
export const DEFAULT_REVIEW_WORKING_DAYS = 5;

/**
 * Whether every criterion given holds for `proposal`. Runs for every rule of an agency's catalog on every proposal,
 * so it allocates nothing; the reasons are put into words only for the rules that match.
 */
export function criteriaHold(criteria: CatalogCriteria, proposal: Proposal, totals: { fine: number; confiscation: number }): boolean {
  if (criteria.domains && criteria.domains.length > 0 && !criteria.domains.includes(proposal.domain)) return false;
  if (criteria.penaltyKinds && criteria.penaltyKinds.length > 0) {
    const kinds = criteria.penaltyKinds as readonly string[];
    if (!proposal.penalties.some((p) => kinds.includes(p.kind))) return false;
  }
  if (criteria.minFineTotalFen) {
    const threshold = criteria.minFineTotalFen[proposal.partyKind];
    if (threshold === undefined || totals.fine < threshold) return false;
  }
  if (criteria.minConfiscationTotalFen) {
    const threshold = criteria.minConfiscationTotalFen[proposal.partyKind];
    if (threshold === undefined || totals.confiscation < threshold) return false;
  }
  if (criteria.hearingHeld !== undefined && criteria.hearingHeld !== proposal.hearingHeld) return false;
  if (criteria.flags && criteria.flags.length > 0 && !criteria.flags.every((flag) => proposal.flags.includes(flag))) return false;
  if (criteria.conditions && criteria.conditions.length > 0 && !criteria.conditions.every((c) => proposal.conditions.includes(c)))
    return false;
  return true;
}

/** The reasons `criteria` match `proposal`, or null when one criterion fails. */
export function criteriaReasons(
  criteria: CatalogCriteria,
  proposal: Proposal,
  totals: { fine: number; confiscation: number },
): string[] | null {
  const reasons: string[] = [];
  if (criteria.domains && criteria.domains.length > 0) {
    if (!criteria.domains.includes(proposal.domain)) return null;
    reasons.push(`执法领域为${proposal.domain}`);
  }
  if (criteria.penaltyKinds && criteria.penaltyKinds.length > 0) {
    const kinds = criteria.penaltyKinds;
    const hit = proposal.penalties.find((p) => (kinds as readonly string[]).includes(p.kind));
    if (!hit) return null;
    reasons.push(`拟作出${penaltyKindName(hit.kind)}`);
  }
  if (criteria.minFineTotalFen) {
    const threshold = criteria.minFineTotalFen[proposal.partyKind];
    if (threshold === undefined || totals.fine < threshold) return null;
    reasons.push(`罚款合计${yuan(totals.fine)}，达到${yuan(threshold)}`);
  }
  if (criteria.minConfiscationTotalFen) {
    const threshold = criteria.minConfiscationTotalFen[proposal.partyKind];
    if (threshold === undefined || totals.confiscation < threshold) return null;
    reasons.push(`没收金额合计${yuan(totals.confiscation)}，达到${yuan(threshold)}`);
  }
  if (criteria.hearingHeld !== undefined) {
    if (criteria.hearingHeld !== proposal.hearingHeld) return null;
    reasons.push(proposal.hearingHeld ? '已经过听证程序' : '未经过听证程序');
  }
  if (criteria.flags && criteria.flags.length > 0) {
    if (!criteria.flags.every((flag) => proposal.flags.includes(flag))) return null;
    reasons.push(`办案机构标明：${criteria.flags.map((flag) => FLAG_TEXT[flag]).join('、')}`);
  }
  if (criteria.conditions && criteria.conditions.length > 0) {
    if (!criteria.conditions.every((condition) => proposal.conditions.includes(condition))) return null;
    reasons.push(`具有情形：${criteria.conditions.join('、')}`);
  }
  return reasons;
}

const FLAG_TEXT: Record<ProposalFlag, string> = {
  'major-public-interest': '涉及重大公共利益',
  complex: '案情疑难复杂',
  'several-legal-relationships': '涉及多个法律关系',
};

/**
 * Whether a proposed decision needs legal review under the agency's catalog version (Art. 58), which rules
 * matched and why; whether the party may ask for a hearing on the catalog's thresholds (Art. 63); whether
 * the leadership must decide collectively (Art. 57).
 */
export function evaluateCatalog(catalog: CatalogVersion, proposal: Proposal): CatalogEvaluation {
  const totals = { fine: totalFen(proposal.penalties, 'fine'), confiscation: totalFen(proposal.penalties, 'confiscation') };
  const matches: RuleMatch[] = [];
  for (const rule of catalog.content.rules) {
    if (!criteriaHold(rule, proposal, totals)) continue;
    const reasons = criteriaReasons(rule, proposal, totals);
    if (reasons)
      matches.push({
        ruleId: rule.id,
        title: rule.title,
        ground: rule.ground,
        article: ARTICLES.art58,
        reasons: [GROUND_TEXT[rule.ground], ...reasons],
      });
  }
  const collective = { required: false, conditionIds: [] as string[], reasons: [] as string[], article: ARTICLES.art57 };
  for (const condition of catalog.content.collectiveDecisionConditions) {
    const reasons = criteriaReasons(condition, proposal, totals);
    if (!reasons) continue;
    collective.required = true;
    collective.conditionIds.push(condition.id);
    collective.reasons.push(`${condition.title}：${reasons.join('；')}`);
  }
  return {
    agencyId: catalog.agencyId,
    catalogVersion: catalog.version,
    reviewRequired: matches.length > 0,
    matches,
    hearing: { ...hearingReasons(catalog.content.hearingThresholds, proposal, totals), article: ARTICLES.art63 },
    collectiveDecision: collective,
  };
}

/** Art. 63: the heavy penalties, and fines or confiscations of a large amount (较大数额) by the catalog's figures. */
export function hearingReasons(
  thresholds: HearingThresholds,
  proposal: Proposal,
  totals = { fine: totalFen(proposal.penalties, 'fine'), confiscation: totalFen(proposal.penalties, 'confiscation') },
): { available: boolean; reasons: string[] } {
  const reasons: string[] = [];
  for (const penalty of proposal.penalties) if (ALWAYS_HEARING.has(penalty.kind)) reasons.push(`拟作出${penaltyKindName(penalty.kind)}`);
  const largeFine = thresholds.largeFineFen[proposal.partyKind];
  if (totals.fine > 0 && totals.fine >= largeFine) reasons.push(`较大数额罚款：${yuan(totals.fine)}，标准${yuan(largeFine)}`);
  const largeConfiscation = thresholds.largeConfiscationFen[proposal.partyKind];
  if (totals.confiscation > 0 && totals.confiscation >= largeConfiscation) {
    reasons.push(`没收较大数额财物：${yuan(totals.confiscation)}，标准${yuan(largeConfiscation)}`);
  }
  return { available: reasons.length > 0, reasons };
}

export interface CatalogProblem {
  field: string;
  problem: string;
}

const MAX_FEN = 1e15;

function amountProblems(field: string, amounts: AmountByParty | undefined, problems: CatalogProblem[]): void {
  if (amounts === undefined) return;
  const kinds = Object.keys(amounts);
  if (kinds.length === 0) problems.push({ field, problem: 'names no party kind' });
  for (const kind of kinds) {
    if (!(PARTY_KINDS as readonly string[]).includes(kind)) problems.push({ field: `${field}.${kind}`, problem: 'is not a party kind' });
    const value = (amounts as Record<string, unknown>)[kind];
    if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) > MAX_FEN) {
      problems.push({ field: `${field}.${kind}`, problem: 'is not a whole amount of fen from 0' });
    }
  }
}

function criteriaProblems(prefix: string, criteria: CatalogCriteria, problems: CatalogProblem[]): void {
  const given = [
    criteria.domains?.length,
    criteria.penaltyKinds?.length,
    criteria.minFineTotalFen,
    criteria.minConfiscationTotalFen,
    criteria.hearingHeld,
    criteria.flags?.length,
    criteria.conditions?.length,
  ].filter((value) => value !== undefined && value !== 0);
  if (given.length === 0) problems.push({ field: prefix, problem: 'has no criterion, so it would match nothing' });
  for (const kind of criteria.penaltyKinds ?? [])
    if (!isPenaltyKind(kind)) problems.push({ field: `${prefix}.penaltyKinds`, problem: `${kind} is not a penalty kind` });
  for (const flag of criteria.flags ?? []) {
    if (!(PROPOSAL_FLAGS as readonly string[]).includes(flag))
      problems.push({ field: `${prefix}.flags`, problem: `${flag} is not a flag` });
  }
  amountProblems(`${prefix}.minFineTotalFen`, criteria.minFineTotalFen, problems);
  amountProblems(`${prefix}.minConfiscationTotalFen`, criteria.minConfiscationTotalFen, problems);
}

/** What is wrong with a catalog an administrator submits; empty when it may be published. */
export function catalogProblems(content: CatalogContent): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const ruleIds = new Set<string>();
  content.rules.forEach((rule, index) => {
    const prefix = `rules[${index}]`;
    if (ruleIds.has(rule.id)) problems.push({ field: `${prefix}.id`, problem: `${rule.id} is given twice` });
    ruleIds.add(rule.id);
    if (!(REVIEW_GROUNDS as readonly string[]).includes(rule.ground))
      problems.push({ field: `${prefix}.ground`, problem: 'is not an Art. 58 ground' });
    criteriaProblems(prefix, rule, problems);
  });
  const conditionIds = new Set<string>();
  content.collectiveDecisionConditions.forEach((condition, index) => {
    const prefix = `collectiveDecisionConditions[${index}]`;
    if (conditionIds.has(condition.id)) problems.push({ field: `${prefix}.id`, problem: `${condition.id} is given twice` });
    conditionIds.add(condition.id);
    criteriaProblems(prefix, condition, problems);
  });
  for (const kind of PARTY_KINDS) {
    for (const key of ['largeFineFen', 'largeConfiscationFen'] as const) {
      const value = content.hearingThresholds[key][kind];
      if (!Number.isSafeInteger(value) || value <= 0 || value > MAX_FEN) {
        problems.push({ field: `hearingThresholds.${key}.${kind}`, problem: 'is not a positive whole amount of fen' });
      }
    }
  }
  if (!Number.isInteger(content.reviewWorkingDays) || content.reviewWorkingDays < 1 || content.reviewWorkingDays > 60) {
    problems.push({ field: 'reviewWorkingDays', problem: 'is not a whole number of working days from 1 to 60' });
  }
  return problems;
}

/** Refuses a catalog that cannot be published (422 CATALOG_INVALID with the problems). */
export function assertPublishable(content: CatalogContent): void {
  const problems = catalogProblems(content);
  if (problems.length > 0) {
    throw new LegalReviewError('CATALOG_INVALID', '目录清单内容不符合要求，请修改后再发布', 'refused', {
      article: ARTICLES.guidance118,
      details: { problems },
    });
  }
}

/** The catalog an agency works under before its administrator publishes one: no rules, default thresholds. */
export function emptyCatalog(agencyId: string): CatalogVersion {
  return {
    agencyId,
    version: 0,
    content: {
      rules: [],
      hearingThresholds: DEFAULT_HEARING_THRESHOLDS,
      collectiveDecisionConditions: [],
      reviewWorkingDays: DEFAULT_REVIEW_WORKING_DAYS,
    },
  };
}
