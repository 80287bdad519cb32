import { chinaDayOf, type WorkingDayCalendar } from '@enforcement/calendar';
import { penaltyKindName } from '@enforcement/contracts';
import { publicationDueAt, type DecisionCategory } from './publication-deadline';
import { publicationEligibility, type Confidentiality, type Eligibility } from './publication-eligibility';
import { publicationMonths, publicUntil, type PublicationPeriodSettings } from './publication-period';
import { maskPersonName, redact, type RedactionFinding, type RedactionRules } from './redaction';

export type PartyKind = 'natural-person' | 'organisation';

/** A decision as recording issued it (DecisionIssued, checked), unredacted. */
export interface IssuedDecision {
  caseId: string;
  agencyId: string;
  caseNumber: string;
  regionCode: string;
  domain: string;
  decisionNumber: string;
  category: DecisionCategory;
  decidedAt: Date;
  party: { kind: PartyKind; name: string; isMinor: boolean; creditCode: string };
  penalties: Array<{ kind: string; amountFen: number; description: string }>;
  decisionText: string;
  facts: string;
  legalBasis: string;
  violation: string;
  otherPersons: string[];
  confidentiality: Confidentiality;
  chainHead: string;
}

export interface RedactedTexts {
  partyName: string;
  decisionText: string;
  facts: string;
  legalBasis: string;
  violation: string;
}

export interface DisclosureDraft {
  eligibility: Eligibility;
  dueAt: Date;
  dueCoverage: string;
  redacted: RedactedTexts;
  findings: Record<keyof RedactedTexts, RedactionFinding[]>;
}

/** The name published for the party: a person's masked, an organisation's as registered. */
export function publicPartyName(party: { kind: PartyKind; name: string }, rules: RedactionRules): string {
  return party.kind === 'natural-person' ? maskPersonName(party.name, rules) : party.name;
}

/** Every text that may go public, redacted with the same subjects. */
export function redactDecision(
  decision: Pick<IssuedDecision, 'party' | 'decisionText' | 'facts' | 'legalBasis' | 'violation' | 'otherPersons'>,
  rules: RedactionRules,
) {
  const subjects = { party: decision.party, otherPersons: decision.otherPersons };
  const texts = {
    decisionText: redact(decision.decisionText, subjects, rules),
    facts: redact(decision.facts, subjects, rules),
    legalBasis: redact(decision.legalBasis, subjects, rules),
    violation: redact(decision.violation, subjects, rules),
  };
  return {
    redacted: {
      partyName: publicPartyName(decision.party, rules),
      decisionText: texts.decisionText.text,
      facts: texts.facts.text,
      legalBasis: texts.legalBasis.text,
      violation: texts.violation.text,
    },
    findings: {
      partyName: [],
      decisionText: texts.decisionText.findings,
      facts: texts.facts.findings,
      legalBasis: texts.legalBasis.findings,
      violation: texts.violation.findings,
    },
  };
}

/** What an issued decision becomes: whether it may be published, by when, and its redacted text for review. */
export function draftDisclosure(decision: IssuedDecision, calendar: WorkingDayCalendar, rules: RedactionRules): DisclosureDraft {
  const eligibility = publicationEligibility({
    partyIsMinor: decision.party.isMinor,
    penaltyKinds: decision.penalties.map((p) => p.kind),
    confidentiality: decision.confidentiality,
  });
  const due = publicationDueAt(calendar, decision.decidedAt, decision.category);
  return { eligibility, dueAt: due.dueAt, dueCoverage: due.coverage, ...redactDecision(decision, rules) };
}

/** Fen as yuan with two decimals, the way amounts are published. */
export function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

/**
 * The published record of a decision: the 双公示 fields (行政处罚信息), nothing else. Its canonical JSON is what the
 * day's Merkle tree commits to, so nothing in it may change once published.
 */
export interface PublishedDecision {
  id: string;
  caseId: string;
  decisionNumber: string;
  agencyId: string;
  /** 处罚机关 */
  agencyName: string;
  domain: string;
  /** 相对人名称 */
  partyName: string;
  /** 统一社会信用代码 (organisations) */
  creditCode: string;
  /** 违法行为类型 */
  violation: string;
  /** 处罚依据 */
  legalBasis: string;
  /** 处罚类别 */
  penaltyKinds: string[];
  /** 处罚内容: the redacted decision text */
  content: string;
  /** 罚款金额 (yuan) */
  fineYuan: string;
  /** 没收金额 (yuan) */
  confiscationYuan: string;
  /** 决定日期 (Shanghai day) */
  decidedOn: string;
  publishedAt: string;
  /** 公示截止期: the first instant the decision is off the portal */
  publicUntil: string;
  /** Hash of the decision record in the case's chain */
  chainHead: string;
  /** A changed decision: the withdrawn disclosure it is published in place of (Art. 48); absent otherwise. */
  replaces?: string;
}

export interface PublishableDisclosure {
  id: string;
  caseId: string;
  decisionNumber: string;
  agencyId: string;
  domain: string;
  partyKind: PartyKind;
  partyCreditCode: string | null;
  redacted: RedactedTexts;
  penalties: Array<{ kind: string; amountFen: number }>;
  decidedAt: Date;
  chainHead: string;
}

/** The record published at `publishedAt`, and when it leaves the portal. */
export function publishedDecision(
  disclosure: PublishableDisclosure,
  agencyName: string,
  publishedAt: Date,
  periods: PublicationPeriodSettings,
): PublishedDecision {
  const months = publicationMonths(disclosure.penalties, disclosure.partyKind, periods);
  const sum = (kind: string) => disclosure.penalties.filter((p) => p.kind === kind).reduce((total, p) => total + p.amountFen, 0);
  return {
    id: disclosure.id,
    caseId: disclosure.caseId,
    decisionNumber: disclosure.decisionNumber,
    agencyId: disclosure.agencyId,
    agencyName,
    domain: disclosure.domain,
    partyName: disclosure.redacted.partyName,
    creditCode: disclosure.partyKind === 'organisation' ? (disclosure.partyCreditCode ?? '') : '',
    violation: disclosure.redacted.violation,
    legalBasis: disclosure.redacted.legalBasis,
    penaltyKinds: [...new Set(disclosure.penalties.map((p) => penaltyKindName(p.kind)))],
    content: disclosure.redacted.decisionText || disclosure.redacted.facts,
    fineYuan: yuan(sum('fine')),
    confiscationYuan: yuan(sum('confiscation')),
    decidedOn: chinaDayOf(disclosure.decidedAt),
    publishedAt: publishedAt.toISOString(),
    publicUntil: publicUntil(publishedAt, months).toISOString(),
    chainHead: disclosure.chainHead,
  };
}
