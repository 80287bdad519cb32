import { emptyCaseCourse, foldCourse, type CaseCourse, type CourseStep } from './case-course';
import { checkClosing, unsettledOf } from './closing';
import { checkCorrectedTime } from './correction';
import type { CourseFacts } from './course-facts';
import {
  checkAlteration,
  checkCorrectionTarget,
  checkDecisionBinds,
  checkNoDecisionRestatement,
  refuseAlterationAsStep,
} from './decision-alteration';
import { checkExtension, checkNotSuspended, checkResumption, checkSuspension } from './decision-period';
import { RecordingError } from './recording.error';

const step = (id: string, stepType: string, fields: Record<string, unknown> = {}, occurredAt = '2026-03-10T01:00:00Z'): CourseStep => ({
  id,
  stepType,
  occurredAt: new Date(occurredAt),
  fields,
});

function courseOf(...steps: CourseStep[]): CaseCourse {
  return steps.reduce<CaseCourse>((course, next) => foldCourse(course, next), emptyCaseCourse());
}

function facts(course: CaseCourse, overrides: Partial<CourseFacts> = {}): CourseFacts {
  return {
    status: course.decision ? 'decided' : 'open',
    legalReviewStatus: 'not-required',
    course,
    hearingRequestedAt: null,
    latestHearingAt: null,
    ...overrides,
  };
}

function refusal(work: () => void): { code: string; article?: string; details?: Record<string, unknown> } | undefined {
  try {
    work();
  } catch (error) {
    if (error instanceof RecordingError) return { code: error.code, article: error.article, details: error.details };
    throw error;
  }
  return undefined;
}

const fine = (amountFen: number) => ({ penalties: [{ kind: 'fine', amountFen }] });
const absentDecision = step('d1', 'decision', { ...fine(500_000), partyPresent: false, decisionNumber: '罚〔2026〕1号' });

describe('case course', () => {
  it('folds the decision as it stands: its fine from the penalties, served, paid, executed', () => {
    const sut = courseOf(absentDecision, step('s1', 'service'), step('e1', 'execution', { paid: true }));

    expect(sut).toMatchObject({
      decision: { recordId: 'd1', standing: 'in-force', partyPresent: false, fineFen: '500000', alteredByRecordId: null },
      served: true,
      finePaid: true,
      executed: true,
    });
  });

  it('follows an alteration: a change replaces the penalties, a revocation keeps them but binds nobody', () => {
    const changed = courseOf(absentDecision, step('a1', 'decision-alteration', { kind: 'changed', ...fine(200_000) }));
    expect(changed.decision).toMatchObject({ standing: 'changed', fineFen: '200000', alteredByRecordId: 'a1' });

    const revoked = courseOf(absentDecision, step('a1', 'decision-alteration', { kind: 'revoked' }));
    expect(revoked.decision).toMatchObject({ standing: 'revoked', fineFen: '500000' });
  });

  it('keeps the suspension until the resumption, and survives JSON', () => {
    const suspended = courseOf(step('x1', 'suspension', { reason: '当事人下落不明' }, '2026-03-05T01:00:00Z'));
    expect(suspended.suspendedSince).toBe('2026-03-05T01:00:00.000Z');
    expect(foldCourse(suspended, step('x2', 'resumption')).suspendedSince).toBeNull();
    expect(JSON.parse(JSON.stringify(suspended))).toEqual(suspended);
  });

  it('does not change the course it was given', () => {
    const before = emptyCaseCourse();
    foldCourse(before, absentDecision);
    expect(before.decision).toBeNull();
  });
});

describe('decisions change by one path only (Art. 48)', () => {
  it('refuses a decision-alteration posted as an ordinary step', () => {
    expect(refusal(() => refuseAlterationAsStep())).toMatchObject({
      code: 'DECISION_ALTERATION_PATH',
      article: '《行政处罚法》第四十八条',
    });
  });

  it('refuses an "other" step that restates penalties or the decision number, and a correction that does', () => {
    expect(refusal(() => checkNoDecisionRestatement({ stepType: 'other', fields: fine(100) }))).toMatchObject({
      code: 'DECISION_RESTATEMENT_NOT_ALLOWED',
      details: { fields: ['penalties'] },
    });
    expect(refusal(() => checkNoDecisionRestatement({ stepType: 'other', fields: { decisionNumber: '罚〔2026〕2号' } }))?.code).toBe(
      'DECISION_RESTATEMENT_NOT_ALLOWED',
    );
    expect(refusal(() => checkNoDecisionRestatement({ stepType: 'correction', fields: { fineAmountFen: 1 } }))?.code).toBe(
      'DECISION_RESTATEMENT_NOT_ALLOWED',
    );
    expect(refusal(() => checkNoDecisionRestatement({ stepType: 'execution', fields: { alterationKind: 'revoked' } }))?.code).toBe(
      'DECISION_RESTATEMENT_NOT_ALLOWED',
    );
  });

  it('lets the notice, the steps that weigh it and the decision carry penalties, and a service name the decision served', () => {
    for (const stepType of ['notice', 'legal-review', 'collective-decision', 'decision']) {
      expect(refusal(() => checkNoDecisionRestatement({ stepType, fields: fine(100) }))).toBeUndefined();
    }
    expect(refusal(() => checkNoDecisionRestatement({ stepType: 'service', fields: { decisionNumber: '罚〔2026〕1号' } }))).toBeUndefined();
  });

  it('refuses a correction pointing at a decision or an alteration, and allows one pointing at anything else', () => {
    expect(refusal(() => checkCorrectionTarget('decision'))?.code).toBe('DECISION_CORRECTION_NOT_ALLOWED');
    expect(refusal(() => checkCorrectionTarget('decision-alteration'))?.code).toBe('DECISION_CORRECTION_NOT_ALLOWED');
    expect(refusal(() => checkCorrectionTarget('inspection'))).toBeUndefined();
  });

  it('refuses the service and execution of a revoked or void decision, not of a changed or illegal-but-standing one', () => {
    for (const kind of ['revoked', 'confirmed-void']) {
      const course = courseOf(absentDecision, step('a1', 'decision-alteration', { kind }));
      expect(refusal(() => checkDecisionBinds(facts(course), 'execution'))).toMatchObject({
        code: 'DECISION_REVOKED',
        details: { standing: kind },
      });
      expect(refusal(() => checkDecisionBinds(facts(course), 'service'))?.code).toBe('DECISION_REVOKED');
    }
    for (const kind of ['changed', 'confirmed-illegal']) {
      const course = courseOf(absentDecision, step('a1', 'decision-alteration', { kind, ...fine(1) }));
      expect(refusal(() => checkDecisionBinds(facts(course), 'execution'))).toBeUndefined();
    }
  });

  it('alters only a decision that exists and still binds; a change states its penalties, nothing else does', () => {
    expect(refusal(() => checkAlteration(facts(emptyCaseCourse()), { kind: 'revoked', fields: {} }))?.code).toBe('DECISION_REQUIRED');
    const decided = courseOf(absentDecision);
    expect(refusal(() => checkAlteration(facts(decided), { kind: 'changed', fields: {} }))?.code).toBe('PENALTY_REQUIRED');
    expect(refusal(() => checkAlteration(facts(decided), { kind: 'revoked', fields: fine(1) }))?.code).toBe(
      'DECISION_RESTATEMENT_NOT_ALLOWED',
    );
    expect(refusal(() => checkAlteration(facts(decided), { kind: 'changed', fields: fine(1) }))).toBeUndefined();
    expect(refusal(() => checkAlteration(facts(decided, { status: 'closed' }), { kind: 'revoked', fields: {} }))).toBeUndefined();
    const revoked = courseOf(absentDecision, step('a1', 'decision-alteration', { kind: 'revoked' }));
    expect(refusal(() => checkAlteration(facts(revoked), { kind: 'changed', fields: fine(1) }))?.code).toBe('DECISION_REVOKED');
  });
});

describe('closing (Art. 47)', () => {
  const statement = { statement: '经调查，违法事实不能成立' };

  it('closes a case whose periods are all settled, without a reason', () => {
    const course = courseOf(absentDecision, step('s1', 'service'), step('e1', 'execution', { paid: true }));
    expect(unsettledOf(facts(course))).toEqual([]);
    expect(refusal(() => checkClosing(facts(course), {}))).toBeUndefined();
  });

  it('names what is unsettled: service, payment, execution of a licence revocation', () => {
    const decision = step('d1', 'decision', {
      penalties: [{ kind: 'fine', amountFen: 1 }, { kind: 'licence-revocation' }],
      partyPresent: false,
    });
    expect(refusal(() => checkClosing(facts(courseOf(decision)), {}))).toMatchObject({
      code: 'CLOSING_PERIODS_UNSETTLED',
      details: { unsettled: ['service', 'payment', 'execution'] },
    });
    // An execution that is not payment executes the licence revocation, the fine stays unpaid.
    const executed = courseOf(decision, step('s1', 'service'), step('e1', 'execution'));
    expect(unsettledOf(facts(executed))).toEqual(['payment']);
  });

  it('needs no execution of a warning, and nothing more of a revoked decision', () => {
    expect(unsettledOf(facts(courseOf(step('d1', 'decision', { penalties: [{ kind: 'warning' }] }))))).toEqual([]);
    const revoked = courseOf(absentDecision, step('a1', 'decision-alteration', { kind: 'revoked' }));
    expect(unsettledOf(facts(revoked))).toEqual([]);
  });

  it('names a requested hearing not held, a review not concluded and a suspension not lifted', () => {
    const course = courseOf(step('x1', 'suspension', { reason: '等待鉴定' }));
    const pending = facts(course, { hearingRequestedAt: '2026-03-02T01:00:00.000Z', legalReviewStatus: 'requested' });
    expect(unsettledOf(pending)).toEqual(['hearing', 'legal-review', 'suspension', 'decision']);
  });

  it('refuses closing an undecided case without a reason from the list (CLOSING_REASON_REQUIRED)', () => {
    expect(refusal(() => checkClosing(facts(emptyCaseCourse()), {}))?.code).toBe('CLOSING_REASON_REQUIRED');
    expect(refusal(() => checkClosing(facts(emptyCaseCourse()), { closingReason: 'no-penalty', ...statement }))).toBeUndefined();
  });

  it('refuses a reason not on the list, a reason without a statement, and a blank statement', () => {
    const open = facts(emptyCaseCourse());
    expect(refusal(() => checkClosing(open, { closingReason: '领导同意', ...statement }))?.code).toBe('CLOSING_REASON_UNKNOWN');
    expect(refusal(() => checkClosing(open, { closingReason: 'no-penalty' }))?.code).toBe('CLOSING_STATEMENT_REQUIRED');
    expect(refusal(() => checkClosing(open, { closingReason: 'no-penalty', statement: '   ' }))?.code).toBe('CLOSING_STATEMENT_REQUIRED');
  });

  it('refuses a reason that does not fit the case: "execution completed" undecided, "no penalty" decided', () => {
    expect(refusal(() => checkClosing(facts(emptyCaseCourse()), { closingReason: 'execution-completed', ...statement }))?.code).toBe(
      'CLOSING_REASON_NOT_APPLICABLE',
    );
    const decided = facts(courseOf(absentDecision));
    expect(refusal(() => checkClosing(decided, { closingReason: 'no-penalty', ...statement }))?.code).toBe('CLOSING_REASON_NOT_APPLICABLE');
    expect(refusal(() => checkClosing(decided, { closingReason: 'decision-revoked', ...statement }))?.code).toBe(
      'CLOSING_REASON_NOT_APPLICABLE',
    );
    expect(refusal(() => checkClosing(decided, { closingReason: 'execution-ended', ...statement }))).toBeUndefined();
  });
});

describe('decision period: extension, suspension, resumption (Art. 60)', () => {
  const request = { reason: '案情复杂，需补充鉴定' };

  it('extends once, on a reasoned request the head approved, before the decision', () => {
    expect(refusal(() => checkExtension(facts(emptyCaseCourse()), request))).toBeUndefined();
    expect(refusal(() => checkExtension(facts(emptyCaseCourse()), {}))?.code).toBe('EXTENSION_REASON_REQUIRED');
    const requested = courseOf(step('x1', 'decision-period-extension', request));
    expect(requested.decisionPeriodExtended).toBe(false);
    const extended = courseOf(
      step('x1', 'decision-period-extension', request),
      step('x2', 'decision-extension-approval', { extensionRecordId: 'x1', approverRole: 'agency-head' }),
    );
    expect(refusal(() => checkExtension(facts(extended), request))?.code).toBe('DECISION_PERIOD_ALREADY_EXTENDED');
    expect(refusal(() => checkExtension(facts(courseOf(absentDecision)), request))?.code).toBe('DECISION_EXISTS');
  });

  it('suspends with a reason, not twice, and resumes only a suspended case, not before its suspension', () => {
    expect(refusal(() => checkSuspension(facts(emptyCaseCourse()), {}))?.code).toBe('SUSPENSION_REASON_REQUIRED');
    const suspended = courseOf(step('x1', 'suspension', { reason: '当事人下落不明' }, '2026-03-05T01:00:00Z'));
    expect(refusal(() => checkSuspension(facts(suspended), { reason: '等待鉴定结论' }))?.code).toBe('CASE_ALREADY_SUSPENDED');
    expect(refusal(() => checkResumption(facts(emptyCaseCourse()), new Date('2026-03-06T01:00:00Z')))?.code).toBe('CASE_NOT_SUSPENDED');
    expect(refusal(() => checkResumption(facts(suspended), new Date('2026-03-04T01:00:00Z')))?.code).toBe('RESUMPTION_BEFORE_SUSPENSION');
    expect(refusal(() => checkResumption(facts(suspended), new Date('2026-03-06T01:00:00Z')))).toBeUndefined();
  });

  it('decides nothing while the case is suspended', () => {
    const suspended = courseOf(step('x1', 'suspension', { reason: '当事人下落不明' }));
    expect(refusal(() => checkNotSuspended(facts(suspended)))?.code).toBe('CASE_SUSPENDED');
    expect(refusal(() => checkNotSuspended(facts(emptyCaseCourse())))).toBeUndefined();
  });
});

describe('a correction that moves a time (Art. 47)', () => {
  const now = new Date('2026-03-10T01:00:00Z');

  it('takes a corrected time with its offset, in the past', () => {
    expect(refusal(() => checkCorrectedTime({ fields: { correctedOccurredAt: '2026-03-02T09:30:00+08:00' } }, now))).toBeUndefined();
    expect(refusal(() => checkCorrectedTime({ fields: { text: '错别字' } }, now))).toBeUndefined();
  });

  it('refuses a corrected time that is no time, has no offset, or is still to come (CORRECTED_TIME_INVALID)', () => {
    for (const correctedOccurredAt of [
      'yesterday',
      '2026-03-02 09:30',
      '2026-03-02T09:30:00',
      '2026-04-01T09:30:00+08:00',
      20260302,
      '0206-03-02T09:30:00+08:00',
    ]) {
      expect(refusal(() => checkCorrectedTime({ fields: { correctedOccurredAt } }, now))?.code).toBe('CORRECTED_TIME_INVALID');
    }
  });
});
