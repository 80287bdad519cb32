import { ARTICLES } from './publicity.error';

/** Why a case's main facts are kept from the public (国办发〔2018〕118号: 涉及国家秘密、商业秘密、个人隐私的不予公开). */
export type Confidentiality = 'none' | 'state-secret' | 'trade-secret' | 'personal-privacy';

export const CONFIDENTIALITY_VALUES: readonly Confidentiality[] = ['none', 'state-secret', 'trade-secret', 'personal-privacy'];

/** What the eligibility rules read of an issued decision. */
export interface EligibilityFacts {
  partyIsMinor: boolean;
  /** Penalty kinds as recording names them: "warning", "criticism", "fine", "confiscation", … */
  penaltyKinds: readonly string[];
  confidentiality: Confidentiality;
}

export type NeverPublishCode = 'PARTY_IS_MINOR' | 'WARNING_ONLY' | 'NO_PENALTY' | 'CASE_CONFIDENTIAL';

export type Eligibility = { publish: true } | { publish: false; code: NeverPublishCode; reason: string; article: string };

/**
 * Whether an issued decision may ever be published. Refusals are final for that decision: it gets no disclosure,
 * no deadline and no overdue alarm, and the reason is kept for supervisors (never shown to the public).
 *
 * - a decision against a minor is never published (未成年人保护法 Art. 103: no information that identifies a minor);
 * - a warning alone is not published (the market-regulation rule on publication: 仅受到警告的不予公示);
 * - a decision imposing no penalty (不予处罚) publishes nothing about a party who was not penalised;
 * - a case whose main facts are a state secret, a trade secret or personal privacy is not published
 *   (国办发〔2018〕118号).
 */
export function publicationEligibility(facts: EligibilityFacts): Eligibility {
  if (facts.partyIsMinor) {
    return { publish: false, code: 'PARTY_IS_MINOR', reason: '当事人为未成年人，决定不予公开', article: ARTICLES.minors };
  }
  if (facts.confidentiality !== 'none') {
    return {
      publish: false,
      code: 'CASE_CONFIDENTIAL',
      reason: '案件主要事实涉及国家秘密、商业秘密或个人隐私，不予公开',
      article: ARTICLES.guidance118,
    };
  }
  const kinds = facts.penaltyKinds.filter((kind) => kind.trim() !== '');
  if (kinds.length === 0) {
    return { publish: false, code: 'NO_PENALTY', reason: '决定未给予行政处罚，不予公开', article: ARTICLES.art48 };
  }
  if (kinds.every((kind) => kind === 'warning')) {
    return { publish: false, code: 'WARNING_ONLY', reason: '仅给予警告的决定不予公开', article: ARTICLES.art48 };
  }
  return { publish: true };
}
