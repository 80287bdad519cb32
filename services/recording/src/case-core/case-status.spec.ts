import { Case } from './case';
import { penaltiesOf } from './case-procedure';
import { caseStatusOf, LEGAL_REVIEW_DEMAND, type StatusRecord } from './case-status';
import type { CaseRecord, LegalReviewStatus } from './case.types';
import { DEFAULT_THRESHOLDS, hearingAvailable, type PenaltyThresholds } from './penalties';
import type { StepType } from './step-types';

const opened = () =>
  Case.open({
    id: 'c1',
    agencyId: 'a1',
    caseNumber: '310101-2026-A100001',
    domain: 'market-regulation',
    regionCode: '310101',
    procedure: 'general',
    allegedViolation: '销售不合格产品',
    legalBasis: '《产品质量法》第四十九条',
    handlingOfficerIds: ['o1', 'o2'],
    requiresCollectiveDecision: false,
    openedAt: new Date('2026-03-02T01:00:00Z'),
    openedBy: 'o1',
    party: { kind: 'organisation', name: '某公司', isMinor: false },
  });

/** One event in a case's life: a step, the legal-review service's conclusion, or a demand for review. */
type Move =
  | { step: StepType; fields?: Record<string, unknown> }
  | { concluded: Exclude<LegalReviewStatus, 'not-required' | 'required' | 'requested'> }
  | { demanded: true };

/**
 * Runs the moves through the aggregate as the service does (a notice carries the hearing right the rules derived with
 * the agency's thresholds), and returns its state and the records it chained.
 */
function live(moves: readonly Move[], thresholds: PenaltyThresholds = DEFAULT_THRESHOLDS): { sut: Case; records: CaseRecord[] } {
  const sut = opened();
  const records: CaseRecord[] = [];
  const append = (stepType: string, fields: Record<string, unknown>) => {
    const record = sut.append({
      stepType,
      occurredAt: new Date('2026-03-03T01:00:00Z'),
      recordedBy: 'o1',
      place: '',
      actingOfficerIds: ['o1', 'o2'],
      certificates: [],
      fields,
      text: '',
      evidence: [],
    });
    records.push(record);
    return record;
  };
  append('opening', {});
  for (const move of moves) {
    if ('step' in move) {
      const fields = { ...move.fields };
      if (move.step === 'notice') fields['hearingRight'] = hearingAvailable(penaltiesOf(fields), 'organisation', thresholds);
      sut.stepRecorded(move.step, append(move.step, fields), 'organisation', thresholds);
    }
    // As LegalReviewResultConsumer and ReviewDemandedConsumer do: the case changes, and a record says why.
    if ('concluded' in move) {
      sut.legalReviewConcluded(move.concluded);
      append('legal-review-result', { outcome: move.concluded });
    }
    if ('demanded' in move && sut.legalReviewDemanded()) append(LEGAL_REVIEW_DEMAND, { demandedBy: 'supervisor' });
  }
  return { sut, records };
}

const asChained = (record: CaseRecord): StatusRecord => ({ ...record, recordedAt: record.recordedAt.toISOString() });

const heavy = { penalties: [{ kind: 'licence-revocation' }] };
const small = { penalties: [{ kind: 'fine', amountFen: 50_000 }] };

/** Verification recomputes a case's status from its records: it must come to what the aggregate holds, whatever the course. */
describe(caseStatusOf.name, () => {
  it.each<[string, Move[]]>([
    ['a case just opened', []],
    ['a heavy notice (review required)', [{ step: 'notice', fields: heavy }]],
    ['a small notice (no review)', [{ step: 'notice', fields: small }]],
    ['a small notice sent to review by the officers', [{ step: 'notice', fields: { ...small, requiresLegalReview: true } }]],
    ['a hearing', [{ step: 'notice', fields: small }, { step: 'hearing' }]],
    ['a review requested and approved', [{ step: 'notice', fields: heavy }, { step: 'legal-review' }, { concluded: 'approved' }]],
    [
      'an approval superseded by a new notice',
      [{ step: 'notice', fields: heavy }, { step: 'legal-review' }, { concluded: 'approved' }, { step: 'notice', fields: small }],
    ],
    ['a review returned', [{ step: 'notice', fields: heavy }, { step: 'legal-review' }, { concluded: 'returned' }]],
    ['a review demanded by a supervisor', [{ demanded: true }, { demanded: true }]],
    ['a review demanded after the decision (nothing changes)', [{ step: 'decision', fields: small }, { demanded: true }]],
    ['decided and closed', [{ step: 'notice', fields: small }, { step: 'decision', fields: small }, { step: 'closing' }]],
  ])('comes to the aggregate’s status for %s', (_course, moves) => {
    const { sut, records } = live(moves);
    const { status, legalReviewStatus, closedAt } = sut.state;
    expect(caseStatusOf(records.map(asChained), 'organisation')).toEqual({
      status,
      legalReviewStatus,
      closedAt: closedAt ? closedAt.toISOString() : null,
    });
  });

  it("judges a notice by the hearing right derived with the agency's thresholds when it was recorded, not today's", () => {
    // The agency's catalog made 500 CNY a large fine for organisations: the small fine needed review then.
    const low: PenaltyThresholds = { ...DEFAULT_THRESHOLDS, largeFineFen: { 'natural-person': 10_000, organisation: 50_000 } };
    const { sut, records } = live([{ step: 'notice', fields: small }], low);
    expect(sut.state.legalReviewStatus).toBe('required');
    expect(caseStatusOf(records.map(asChained), 'organisation').legalReviewStatus).toBe('required');
    // A notice recorded before the hearing right was derived is judged with the default thresholds.
    const legacy = { ...asChained(records[1]), fields: small };
    expect(caseStatusOf([asChained(records[0]), legacy], 'organisation').legalReviewStatus).toBe('not-required');
  });
});
