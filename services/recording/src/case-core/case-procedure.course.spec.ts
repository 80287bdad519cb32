import { CaseProcedure, type CaseFacts, type NewStep, type PastStep } from './case-procedure';
import { DEFAULT_THRESHOLDS } from './penalties';
import { RecordingError } from './recording.error';
import type { StepType } from './step-types';

const DAY = 24 * 3600 * 1000;
const weekdays = { addWorkingDays: (from: Date, days: number) => new Date(from.getTime() + days * DAY) };

/** Minutes after a base a few hours ago: the steps are recorded as they happen. */
const BASE = Date.now() - 10 * 3600_000;
const at = (minutes: number) => new Date(BASE + minutes * 60_000);

const past = (stepType: string, minutes: number, fields: Record<string, unknown> = {}): PastStep => ({
  id: `${stepType}-${minutes}`,
  stepType,
  occurredAt: at(minutes),
  actingOfficerIds: ['o1', 'o2'],
  fields,
});
const step = (stepType: StepType, minutes: number, fields: Record<string, unknown> = {}): NewStep => ({
  stepType,
  occurredAt: at(minutes),
  actingOfficerIds: ['o1', 'o2'],
  fields,
});
const fine = { penalties: [{ kind: 'fine', amountFen: 50_000 }] };

function facts(steps: PastStep[], status: CaseFacts['status'] = 'open'): CaseFacts {
  return {
    procedure: 'general',
    status,
    partyKind: 'organisation',
    legalReviewStatus: 'not-required',
    requiresCollectiveDecision: false,
    handlingOfficerIds: ['o1', 'o2'],
    steps: [past('opening', 0), ...steps],
  };
}

function codeOf(work: () => void): string | undefined {
  try {
    work();
  } catch (error) {
    if (error instanceof RecordingError) return error.code;
    throw error;
  }
  return undefined;
}

const decidedSteps = [past('inspection', 10), past('notice', 20, fine), past('decision', 60, { ...fine, partyPresent: false })];

/** The course rules as CaseProcedure applies them to a step: each bypass tried and refused. */
describe(`${CaseProcedure.name}: the course of a case (Art. 47, 48, 60)`, () => {
  const sut = new CaseProcedure(weekdays, DEFAULT_THRESHOLDS);

  it('refuses a decision-alteration posted as a step, decided or not (DECISION_ALTERATION_PATH)', () => {
    expect(codeOf(() => sut.check(facts(decidedSteps, 'decided'), step('decision-alteration', 70, { kind: 'revoked' })))).toBe(
      'DECISION_ALTERATION_PATH',
    );
  });

  it('refuses an "other" step or a correction that restates the decision (DECISION_RESTATEMENT_NOT_ALLOWED)', () => {
    const decided = facts(decidedSteps, 'decided');
    expect(codeOf(() => sut.check(decided, step('other', 70, { penalties: [{ kind: 'warning' }] })))).toBe(
      'DECISION_RESTATEMENT_NOT_ALLOWED',
    );
    expect(codeOf(() => sut.check(decided, step('correction', 70, { decisionNumber: '罚〔2026〕9号' })))).toBe(
      'DECISION_RESTATEMENT_NOT_ALLOWED',
    );
    expect(codeOf(() => sut.check(decided, step('other', 70, { note: '电话回访' })))).toBeUndefined();
  });

  it('refuses service and execution of a revoked decision (DECISION_REVOKED)', () => {
    const revoked = facts([...decidedSteps, past('decision-alteration', 70, { kind: 'revoked' })], 'decided');
    expect(codeOf(() => sut.check(revoked, step('service', 80)))).toBe('DECISION_REVOKED');
    const served = facts([...decidedSteps, past('service', 65), past('decision-alteration', 70, { kind: 'confirmed-void' })], 'decided');
    expect(codeOf(() => sut.check(served, step('execution', 80, { paid: true })))).toBe('DECISION_REVOKED');
  });

  it('refuses closing a decided case with its periods open, and closes it once served and paid', () => {
    const decided = facts(decidedSteps, 'decided');
    expect(codeOf(() => sut.check(decided, step('closing', 70)))).toBe('CLOSING_PERIODS_UNSETTLED');
    const settled = facts([...decidedSteps, past('service', 65), past('execution', 70, { paid: true })], 'decided');
    expect(codeOf(() => sut.check(settled, step('closing', 80)))).toBeUndefined();
    expect(
      codeOf(() => sut.check(decided, step('closing', 70, { closingReason: 'execution-ended', statement: '当事人死亡且无遗产可供执行' }))),
    ).toBeUndefined();
  });

  it('refuses closing an undecided case without a listed reason and a statement', () => {
    expect(codeOf(() => sut.check(facts([]), step('closing', 30, { reason: '不予处罚' })))).toBe('CLOSING_REASON_REQUIRED');
    expect(codeOf(() => sut.check(facts([]), step('closing', 30, { closingReason: 'no-penalty' })))).toBe('CLOSING_STATEMENT_REQUIRED');
    expect(
      codeOf(() => sut.check(facts([]), step('closing', 30, { closingReason: 'no-penalty', statement: '违法事实不能成立' }))),
    ).toBeUndefined();
  });

  it('stops the case while suspended: no decision until it resumes, no second suspension, no extension twice', () => {
    // The party waived its statement period on record (a rule of its own, not this one's).
    const noticed = [
      past('inspection', 10),
      past('notice', 20, fine),
      past('rights-waiver', 25, { waives: ['statement'], partySignature: 'signed' }),
    ];
    const suspended = facts([...noticed, past('suspension', 30, { reason: '等待检验结论' })]);
    expect(codeOf(() => sut.check(suspended, step('decision', 40, fine)))).toBe('CASE_SUSPENDED');
    expect(codeOf(() => sut.check(suspended, step('suspension', 40, { reason: '当事人下落不明' })))).toBe('CASE_ALREADY_SUSPENDED');
    const resumed = facts([...noticed, past('suspension', 30, { reason: '等待检验结论' }), past('resumption', 40)]);
    expect(codeOf(() => sut.check(resumed, step('decision', 50, fine)))).toBeUndefined();
    const extension = { reason: '案情复杂' };
    expect(codeOf(() => sut.check(facts(noticed), step('decision-period-extension', 30, extension)))).toBeUndefined();
    const requested = facts([...noticed, past('decision-period-extension', 30, extension)]);
    expect(codeOf(() => sut.check(requested, step('decision-period-extension', 40, extension)))).toBe('EXTENSION_ALREADY_PENDING');
    const approval = { extensionRecordId: 'decision-period-extension-30', approverRole: 'agency-head' };
    const extended = facts([
      ...noticed,
      past('decision-period-extension', 30, extension),
      past('decision-extension-approval', 35, approval),
    ]);
    expect(codeOf(() => sut.check(extended, step('decision-period-extension', 40, extension)))).toBe('DECISION_PERIOD_ALREADY_EXTENDED');
    // The approval is the head's record of its own, never an officer's step.
    expect(codeOf(() => sut.check(requested, step('decision-extension-approval', 40, approval)))).toBe('STEP_NOT_ALLOWED');
  });
});
