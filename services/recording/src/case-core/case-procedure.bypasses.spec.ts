import { CaseProcedure, DEFAULT_PROCEDURE_POLICY, type CaseFacts, type NewStep, type PastStep } from './case-procedure';
import { DEFAULT_THRESHOLDS, type PenaltyThresholds } from './penalties';
import { emptyProcedureState, procedureStateOf } from './procedure-state';
import { RecordingError } from './recording.error';

/**
 * The rules of issue #10 ("recording that cannot be bent"), each with the attempt to get around it: the party's
 * rights before the decision (Art. 44, 45, 62-65, 57), honest times (Art. 47), two officers (Art. 42) and the
 * on-the-spot procedure (Art. 51, 52).
 */
const DAY = 24 * 3600 * 1000;
/** Weekdays only is enough here: the real calendar has its own tests. */
const weekdays = {
  addWorkingDays(from: Date, days: number): Date {
    const result = new Date(from.getTime());
    let left = days;
    while (left > 0) {
      result.setTime(result.getTime() + DAY);
      if (result.getUTCDay() !== 0 && result.getUTCDay() !== 6) left--;
    }
    return result;
  },
};

const at = (iso: string) => new Date(iso);
let ids = 0;
const past = (stepType: string, occurredAt: string, fields: Record<string, unknown> = {}, actingOfficerIds = ['o1', 'o2']): PastStep => ({
  id: `${stepType}-${++ids}`,
  stepType,
  occurredAt: at(occurredAt),
  fields,
  actingOfficerIds,
});
const step = (
  stepType: NewStep['stepType'],
  occurredAt: string,
  fields: Record<string, unknown> = {},
  extra: Partial<NewStep> = {},
): NewStep => ({
  stepType,
  occurredAt: at(occurredAt),
  fields,
  actingOfficerIds: ['o1', 'o2'],
  recordedAt: at(occurredAt),
  ...extra,
});

const fine = (fen: number) => ({ kind: 'fine', amountFen: fen });
const smallFine = { penalties: [fine(10_000)], facts: '销售过期食品', legalBasis: '《食品安全法》第一百二十四条' };
const largeFine = { penalties: [fine(20_000_000)], facts: '销售过期食品，货值较大', legalBasis: '《食品安全法》第一百二十四条' };
// The notice is served on Tuesday 3 March 2026; five working days run out on Tuesday 10 March at the same hour.
const NOTICE_AT = '2026-03-03T01:00:00Z';
const PERIOD_END = '2026-03-10T01:00:00Z';

function facts(overrides: Partial<CaseFacts> = {}): CaseFacts {
  return {
    procedure: 'general',
    status: 'open',
    partyKind: 'organisation',
    legalReviewStatus: 'not-required',
    requiresCollectiveDecision: false,
    handlingOfficerIds: ['o1', 'o2'],
    openedAt: at('2026-03-02T01:00:00Z'),
    steps: [past('inspection', '2026-03-02T02:00:00Z')],
    ...overrides,
  };
}

/** A case whose notice of `fields` was served at NOTICE_AT, after an inspection. */
const noticed = (fields: Record<string, unknown>, more: PastStep[] = [], overrides: Partial<CaseFacts> = {}) =>
  facts({ steps: [past('inspection', '2026-03-02T02:00:00Z'), past('notice', NOTICE_AT, fields), ...more], ...overrides });

function refusal(work: () => void): RecordingError | undefined {
  try {
    work();
  } catch (error) {
    if (error instanceof RecordingError) return error;
    throw error;
  }
  return undefined;
}
const codeOf = (work: () => void) => refusal(work)?.code;

describe(`${CaseProcedure.name}: the party's rights before the decision (Art. 44, 45, 62-65, 57)`, () => {
  const sut = new CaseProcedure(weekdays, DEFAULT_THRESHOLDS);

  it('waits for the statement and defence period to run out: the decision the day after the notice is refused', () => {
    const refused = refusal(() => sut.check(noticed(smallFine), step('decision', '2026-03-04T01:00:00Z', smallFine)));
    expect(refused?.code).toBe('STATEMENT_PERIOD_RUNNING');
    expect(refused?.details).toMatchObject({ endsAt: '2026-03-10T01:00:00.000Z' });
    expect(codeOf(() => sut.check(noticed(smallFine), step('decision', '2026-03-10T00:59:59Z', smallFine)))).toBe(
      'STATEMENT_PERIOD_RUNNING',
    );
    expect(codeOf(() => sut.check(noticed(smallFine), step('decision', PERIOD_END, smallFine)))).toBeUndefined();
  });

  it('takes the statement period from the agency (per-agency data), not a constant', () => {
    const tenDays = new CaseProcedure(weekdays, DEFAULT_THRESHOLDS, { ...DEFAULT_PROCEDURE_POLICY, statementPeriodWorkingDays: 10 });
    expect(codeOf(() => tenDays.check(noticed(smallFine), step('decision', PERIOD_END, smallFine)))).toBe('STATEMENT_PERIOD_RUNNING');
    expect(codeOf(() => tenDays.check(noticed(smallFine), step('decision', '2026-03-17T01:00:00Z', smallFine)))).toBeUndefined();
  });

  it('lets the party waive its period on record, signed or its refusal to sign witnessed by two officers', () => {
    const signed = past('rights-waiver', '2026-03-03T02:00:00Z', { waives: ['statement'], partySignature: 'signed' });
    expect(codeOf(() => sut.check(noticed(smallFine, [signed]), step('decision', '2026-03-03T03:00:00Z', smallFine)))).toBeUndefined();

    const waiver = (fields: Record<string, unknown>, officers = ['o1', 'o2']) =>
      codeOf(() => sut.check(noticed(smallFine), step('rights-waiver', '2026-03-03T02:00:00Z', fields, { actingOfficerIds: officers })));
    expect(waiver({ waives: ['statement'] })).toBe('WAIVER_SIGNATURE_REQUIRED');
    expect(waiver({ waives: ['statement'], partySignature: 'yes' })).toBe('WAIVER_SIGNATURE_REQUIRED');
    expect(waiver({ partySignature: 'signed' })).toBe('WAIVER_RIGHTS_REQUIRED');
    expect(waiver({ waives: ['appeal'], partySignature: 'signed' })).toBe('WAIVER_RIGHTS_REQUIRED');
    expect(waiver({ waives: ['statement'], partySignature: 'refused' }, ['o1'])).toBe('TOO_FEW_OFFICERS');
    expect(waiver({ waives: ['statement'], partySignature: 'refused' })).toBeUndefined();
    expect(
      codeOf(() => sut.check(facts(), step('rights-waiver', '2026-03-03T02:00:00Z', { waives: ['statement'], partySignature: 'signed' }))),
    ).toBe('NOTICE_REQUIRED');
  });

  it('does not count a waiver of an earlier notice, nor a waiver of the hearing for the statement period', () => {
    const oldWaiver = past('rights-waiver', '2026-03-02T03:00:00Z', { waives: ['statement', 'hearing'], partySignature: 'signed' });
    const renoticed = facts({
      steps: [
        past('inspection', '2026-03-02T02:00:00Z'),
        past('notice', '2026-03-02T02:30:00Z', smallFine),
        oldWaiver,
        past('notice', NOTICE_AT, smallFine),
      ],
    });
    expect(codeOf(() => sut.check(renoticed, step('decision', '2026-03-04T01:00:00Z', smallFine)))).toBe('STATEMENT_PERIOD_RUNNING');
    const hearingOnly = past('rights-waiver', '2026-03-03T02:00:00Z', { waives: ['hearing'], partySignature: 'signed' });
    expect(codeOf(() => sut.check(noticed(smallFine, [hearingOnly]), step('decision', '2026-03-04T01:00:00Z', smallFine)))).toBe(
      'STATEMENT_PERIOD_RUNNING',
    );
  });

  it('keeps the hearing window (Art. 64) open before a decision on a heavy penalty, unless the hearing is waived too', () => {
    const ready = { legalReviewStatus: 'approved' as const };
    const collective = past('collective-decision', '2026-03-03T05:00:00Z');
    const statementOnly = past('rights-waiver', '2026-03-03T02:00:00Z', { waives: ['statement'], partySignature: 'signed' });
    const both = past('rights-waiver', '2026-03-03T02:00:00Z', { waives: ['statement', 'hearing'], partySignature: 'signed' });
    // The statement period alone is shorter here, so the hearing window is what holds the decision.
    const short = new CaseProcedure(weekdays, DEFAULT_THRESHOLDS, { ...DEFAULT_PROCEDURE_POLICY, statementPeriodWorkingDays: 1 });
    expect(codeOf(() => short.check(noticed(largeFine, [collective], ready), step('decision', '2026-03-05T01:00:00Z', largeFine)))).toBe(
      'HEARING_WINDOW_OPEN',
    );
    expect(
      codeOf(() => sut.check(noticed(largeFine, [statementOnly, collective], ready), step('decision', '2026-03-04T01:00:00Z', largeFine))),
    ).toBe('HEARING_WINDOW_OPEN');
    expect(
      codeOf(() => sut.check(noticed(largeFine, [both, collective], ready), step('decision', '2026-03-04T01:00:00Z', largeFine))),
    ).toBeUndefined();
    expect(codeOf(() => short.check(noticed(largeFine, [collective], ready), step('decision', PERIOD_END, largeFine)))).toBeUndefined();
  });

  it('refuses a hearing request after the decision, or out of its window', () => {
    const decided = noticed(largeFine, [past('decision', '2026-03-10T02:00:00Z', largeFine)], { status: 'decided' });
    expect(codeOf(() => sut.check(decided, step('hearing-request', '2026-03-10T03:00:00Z')))).toBe('HEARING_REQUEST_AFTER_DECISION');
    expect(codeOf(() => sut.check(noticed(largeFine), step('hearing-request', PERIOD_END)))).toBe('HEARING_REQUEST_LATE');
    expect(codeOf(() => sut.check(noticed(largeFine), step('hearing-request', '2026-03-03T00:59:00Z')))).toBe('STEP_BEFORE_PREREQUISITE');
  });

  it('refuses a decision heavier than, of another kind than, or on other facts or basis than the notice', () => {
    const exceeds = (decided: Record<string, unknown>) =>
      refusal(() => sut.check(noticed(smallFine), step('decision', PERIOD_END, decided)));
    expect(exceeds({ ...smallFine, penalties: [fine(10_001)] })).toMatchObject({
      code: 'DECISION_EXCEEDS_NOTICE',
      details: { difference: 'larger-amount' },
    });
    // Splitting the fine into two does not hide the larger sum.
    expect(exceeds({ ...smallFine, penalties: [fine(10_000), fine(1)] })?.details).toMatchObject({ difference: 'larger-amount' });
    expect(exceeds({ ...smallFine, penalties: [fine(5_000), { kind: 'warning' }] })?.details).toMatchObject({ difference: 'other-kind' });
    expect(exceeds({ ...smallFine, facts: '销售假冒食品' })?.details).toMatchObject({ difference: 'other-facts' });
    expect(exceeds({ ...smallFine, legalBasis: '《产品质量法》第四十九条' })?.details).toMatchObject({ difference: 'other-basis' });
    // The same words, a lighter fine, or facts left out (the notice's stand) are the decision the party was told of.
    expect(exceeds({ ...smallFine, facts: '  销售过期食品 ' })).toBeUndefined();
    expect(exceeds({ penalties: [fine(5_000)] })).toBeUndefined();
  });

  it('sums fines for the hearing right and counts licence suspension as heavy (Art. 63)', () => {
    const person = { partyKind: 'natural-person' as const };
    const split = { ...smallFine, penalties: [fine(600_000), fine(600_000)] }; // 6,000 + 6,000 CNY ≥ 10,000 CNY
    expect(codeOf(() => sut.check(noticed(split, [], person), step('hearing-request', '2026-03-04T01:00:00Z')))).toBeUndefined();
    const one = { ...smallFine, penalties: [fine(600_000)] };
    expect(codeOf(() => sut.check(noticed(one, [], person), step('hearing-request', '2026-03-04T01:00:00Z')))).toBe(
      'HEARING_NOT_AVAILABLE',
    );
    const suspension = { ...smallFine, penalties: [{ kind: 'licence-suspension' }] };
    expect(codeOf(() => sut.check(noticed(suspension), step('hearing-request', '2026-03-04T01:00:00Z')))).toBeUndefined();
  });

  it("takes the amount thresholds from the agency's data: a lower threshold opens the hearing for a smaller fine", () => {
    const strict: PenaltyThresholds = {
      largeFineFen: { 'natural-person': 5_000, organisation: 5_000 },
      largeConfiscationFen: { 'natural-person': 5_000, organisation: 5_000 },
    };
    const local = new CaseProcedure(weekdays, strict);
    expect(codeOf(() => local.check(noticed(smallFine), step('hearing-request', '2026-03-04T01:00:00Z')))).toBeUndefined();
    expect(codeOf(() => sut.check(noticed(smallFine), step('hearing-request', '2026-03-04T01:00:00Z')))).toBe('HEARING_NOT_AVAILABLE');
  });

  it('refuses a decision that opens a hearing the notice did not tell the party of (thresholds changed meanwhile)', () => {
    const strict: PenaltyThresholds = {
      largeFineFen: { 'natural-person': 5_000, organisation: 5_000 },
      largeConfiscationFen: { 'natural-person': 5_000, organisation: 5_000 },
    };
    const local = new CaseProcedure(weekdays, strict);
    // Told under thresholds that made 100 CNY small: the same fine is now heavy, so the party must be told of a hearing.
    const atNotice = sut.derivedFields({ state: emptyProcedureState('organisation') }, step('notice', NOTICE_AT, smallFine));
    expect(atNotice).toEqual({ hearingRight: false });
    const told = noticed({ ...smallFine, ...atNotice }, [], { legalReviewStatus: 'approved' });
    expect(codeOf(() => local.check(told, step('decision', PERIOD_END, smallFine)))).toBe('HEARING_RIGHT_NOT_NOTIFIED');
  });

  it('needs legal review of a heavy decision even when the case never asked for it (Art. 58)', () => {
    const unreviewed = noticed(largeFine, [past('collective-decision', '2026-03-10T01:00:00Z')]);
    expect(codeOf(() => sut.check(unreviewed, step('decision', '2026-03-10T02:00:00Z', largeFine)))).toBe('LEGAL_REVIEW_REQUIRED');
  });

  it('refuses a heavier notice after the party stated its case, unless new facts were found since, with a reason (Art. 45)', () => {
    const defended = [past('statement', '2026-03-04T01:00:00Z', { text: '已整改' })];
    const heavier = { ...smallFine, penalties: [fine(50_000)] };
    expect(refusal(() => sut.check(noticed(smallFine, defended), step('notice', '2026-03-05T01:00:00Z', heavier)))).toMatchObject({
      code: 'HEAVIER_AFTER_DEFENCE',
      article: '《行政处罚法》第四十五条',
    });
    const investigated = [...defended, past('inquiry', '2026-03-05T01:00:00Z')];
    expect(codeOf(() => sut.check(noticed(smallFine, investigated), step('notice', '2026-03-06T01:00:00Z', heavier)))).toBe(
      'HEAVIER_AFTER_DEFENCE',
    );
    expect(
      codeOf(() =>
        sut.check(
          noticed(smallFine, investigated),
          step('notice', '2026-03-06T01:00:00Z', { ...heavier, changeReason: '询问查明违法所得更多' }),
        ),
      ),
    ).toBeUndefined();
    // Without a statement, a corrected (heavier) notice is simply a new notice, with its own new period.
    expect(codeOf(() => sut.check(noticed(smallFine), step('notice', '2026-03-04T01:00:00Z', heavier)))).toBeUndefined();
    // A lighter notice after the statement is what the statement is for.
    expect(
      codeOf(() => sut.check(noticed(smallFine, defended), step('notice', '2026-03-05T01:00:00Z', { penalties: [fine(5_000)] }))),
    ).toBeUndefined();
  });

  it('holds the hearing at the notified time and place, and decides on its transcript, not before it (Art. 64, 65)', () => {
    const notice = past('hearing-notice', '2026-03-04T01:00:00Z', { hearingAt: '2026-03-16T01:00:00Z', hearingPlace: '第一听证室' });
    const requested = noticed(largeFine, [past('hearing-request', '2026-03-03T05:00:00Z'), notice]);
    const hearing = (occurredAt: string, place = '第一听证室') => step('hearing', occurredAt, { chairOfficerId: 'o9' }, { place });
    expect(codeOf(() => sut.check(requested, hearing('2026-03-15T01:00:00Z')))).toBe('HEARING_NOT_AS_NOTIFIED');
    expect(codeOf(() => sut.check(requested, hearing('2026-03-17T01:00:00Z')))).toBe('HEARING_NOT_AS_NOTIFIED');
    expect(codeOf(() => sut.check(requested, hearing('2026-03-16T01:00:00Z', '局长办公室')))).toBe('HEARING_NOT_AS_NOTIFIED');
    expect(codeOf(() => sut.check(requested, hearing('2026-03-16T01:30:00Z', ' 第一听证室')))).toBeUndefined();
    expect(
      codeOf(() =>
        sut.check(
          noticed(largeFine, [past('hearing-request', '2026-03-03T05:00:00Z')]),
          step('hearing-notice', '2026-03-04T01:00:00Z', { hearingAt: '2026-03-16T01:00:00Z' }),
        ),
      ),
    ).toBe('HEARING_PLACE_REQUIRED');

    const held = past('hearing', '2026-03-16T01:00:00Z', { chairOfficerId: 'o9' }, ['o9']);
    const heard = noticed(
      largeFine,
      [past('hearing-request', '2026-03-03T05:00:00Z'), notice, held, past('collective-decision', '2026-03-17T01:00:00Z')],
      {
        legalReviewStatus: 'approved',
      },
    );
    expect(codeOf(() => sut.check(heard, step('decision', '2026-03-18T01:00:00Z', largeFine)))).toBe('HEARING_TRANSCRIPT_REQUIRED');
    expect(codeOf(() => sut.check(heard, step('decision', '2026-03-18T01:00:00Z', { ...largeFine, hearingRecordId: notice.id })))).toBe(
      'HEARING_TRANSCRIPT_REQUIRED',
    );
    expect(codeOf(() => sut.check(heard, step('decision', '2026-03-15T01:00:00Z', { ...largeFine, hearingRecordId: held.id })))).toBe(
      'STEP_BEFORE_PREREQUISITE',
    );
    expect(
      codeOf(() => sut.check(heard, step('decision', '2026-03-18T01:00:00Z', { ...largeFine, hearingRecordId: held.id }))),
    ).toBeUndefined();
  });

  it("requires the collective decision from the case's facts, not only from the flag set at opening (Art. 57)", () => {
    const approved = { legalReviewStatus: 'approved' as const };
    // A heavy penalty.
    expect(codeOf(() => sut.check(noticed(largeFine, [], approved), step('decision', PERIOD_END, largeFine)))).toBe(
      'COLLECTIVE_DECISION_REQUIRED',
    );
    // A notice that calls the violation serious, whatever the amount.
    expect(codeOf(() => sut.check(noticed({ ...smallFine, seriousViolation: true }), step('decision', PERIOD_END, smallFine)))).toBe(
      'COLLECTIVE_DECISION_REQUIRED',
    );
    // A legal-review conclusion that calls for it.
    const review = past('legal-review-result', '2026-03-05T01:00:00Z', { outcome: 'approved', collectiveDecisionRequired: true });
    expect(codeOf(() => sut.check(noticed(smallFine, [review]), step('decision', PERIOD_END, smallFine)))).toBe(
      'COLLECTIVE_DECISION_REQUIRED',
    );
    // A collective decision taken before the latest notice decided on another proposal.
    const early = past('collective-decision', '2026-03-02T03:00:00Z');
    const renoticed = facts({
      ...approved,
      steps: [past('inspection', '2026-03-02T02:00:00Z'), early, past('notice', NOTICE_AT, largeFine)],
    });
    expect(codeOf(() => sut.check(renoticed, step('decision', PERIOD_END, largeFine)))).toBe('COLLECTIVE_DECISION_REQUIRED');
  });
});

describe(`${CaseProcedure.name}: honest times (Art. 47)`, () => {
  const sut = new CaseProcedure(weekdays, DEFAULT_THRESHOLDS);

  it('refuses a step dated before the case was opened, naming both times', () => {
    expect(refusal(() => sut.check(facts(), step('inquiry', '2026-03-01T01:00:00Z')))).toMatchObject({
      code: 'STEP_BEFORE_OPENING',
      details: { occurredAt: '2026-03-01T01:00:00.000Z', openedAt: '2026-03-02T01:00:00.000Z' },
    });
  });

  it('refuses a step dated before the step it depends on, naming both', () => {
    expect(refusal(() => sut.check(facts(), step('notice', '2026-03-02T01:30:00Z', smallFine)))).toMatchObject({
      code: 'STEP_BEFORE_PREREQUISITE',
      details: {
        stepType: 'notice',
        occurredAt: '2026-03-02T01:30:00.000Z',
        prerequisite: 'investigation',
        prerequisiteAt: '2026-03-02T02:00:00.000Z',
      },
    });
    const decided = noticed(smallFine, [past('decision', '2026-03-11T01:00:00Z', { ...smallFine, partyPresent: false })], {
      status: 'decided',
    });
    expect(refusal(() => sut.check(decided, step('service', '2026-03-10T23:00:00Z')))?.details).toMatchObject({ prerequisite: 'decision' });
    const served = facts({ ...decided, steps: [...decided.steps, past('service', '2026-03-12T01:00:00Z')] });
    expect(refusal(() => sut.check(served, step('execution', '2026-03-11T12:00:00Z')))?.details).toMatchObject({ prerequisite: 'service' });
    expect(refusal(() => sut.check(served, step('closing', '2026-03-11T12:00:00Z')))?.details).toMatchObject({
      prerequisite: 'latest-step',
    });
    expect(codeOf(() => sut.check(noticed(smallFine), step('legal-review', '2026-03-02T23:00:00Z')))).toBe('STEP_BEFORE_PREREQUISITE');
    const held = noticed(smallFine, [past('evidence-hold', '2026-03-05T01:00:00Z')]);
    expect(codeOf(() => sut.check(held, step('evidence-hold-release', '2026-03-04T01:00:00Z')))).toBe('STEP_BEFORE_PREREQUISITE');
  });

  it('accepts a step entered long after it happened only with a reason, and the limit is the agency’s', () => {
    const late = (extra: Partial<NewStep>, procedure = sut) =>
      codeOf(() =>
        procedure.check(facts(), step('inquiry', '2026-03-03T01:00:00Z', {}, { recordedAt: at('2026-03-04T01:00:01Z'), ...extra })),
      );
    expect(late({})).toBe('LATE_ENTRY_REASON_REQUIRED');
    expect(late({ lateEntryReason: '   ' })).toBe('LATE_ENTRY_REASON_REQUIRED');
    expect(late({ lateEntryReason: '现场无网络，次日补录' })).toBeUndefined();
    expect(late({ recordedAt: at('2026-03-04T01:00:00Z') })).toBeUndefined();
    const lenient = new CaseProcedure(weekdays, DEFAULT_THRESHOLDS, { ...DEFAULT_PROCEDURE_POLICY, lateEntryLimitMs: 72 * 3600_000 });
    expect(late({}, lenient)).toBeUndefined();
  });
});

describe(`${CaseProcedure.name}: steps that cannot be dodged (Art. 42, 51, 52)`, () => {
  const sut = new CaseProcedure(weekdays, DEFAULT_THRESHOLDS);

  it.each(['inquiry', 'inspection', 'evidence-collection', 'evidence-hold', 'sealing-seizure'] as const)(
    'refuses %s by one officer, or by one officer named twice',
    (stepType) => {
      expect(codeOf(() => sut.check(facts(), step(stepType, '2026-03-03T01:00:00Z', {}, { actingOfficerIds: ['o1'] })))).toBe(
        'TOO_FEW_OFFICERS',
      );
      expect(codeOf(() => sut.check(facts(), step(stepType, '2026-03-03T01:00:00Z', {}, { actingOfficerIds: ['o1', 'o1'] })))).toBe(
        'TOO_FEW_OFFICERS',
      );
    },
  );

  it('records an assisting agency only with its identifier and the basis of its assistance', () => {
    const agencyId = '3f1e0c1a-0000-4000-8000-0000000000a2';
    expect(codeOf(() => sut.check(facts(), step('assisting-agency', '2026-03-03T01:00:00Z', { basis: '联合执法' })))).toBe(
      'ASSISTING_AGENCY_REQUIRED',
    );
    expect(codeOf(() => sut.check(facts(), step('assisting-agency', '2026-03-03T01:00:00Z', { agencyId })))).toBe(
      'ASSISTING_AGENCY_REQUIRED',
    );
    expect(
      codeOf(() => sut.check(facts(), step('assisting-agency', '2026-03-03T01:00:00Z', { agencyId, basis: '联合执法' }))),
    ).toBeUndefined();
    const state = procedureStateOf('organisation', [
      past('assisting-agency', '2026-03-03T01:00:00Z', { agencyId, basis: '联合执法' }),
      past('assisting-agency', '2026-03-04T01:00:00Z', { agencyId, basis: '再次协助' }),
    ]);
    expect(state.assistingAgencyIds).toEqual([agencyId]);
  });

  it('needs two officers to serve in person or to execute, one to serve by post', () => {
    const decided = noticed(smallFine, [past('decision', PERIOD_END, smallFine)], { status: 'decided' });
    const alone = { actingOfficerIds: ['o1'] };
    expect(codeOf(() => sut.check(decided, step('service', '2026-03-11T01:00:00Z', {}, alone)))).toBe('TOO_FEW_OFFICERS');
    expect(codeOf(() => sut.check(decided, step('service', '2026-03-11T01:00:00Z', { method: 'direct' }, alone)))).toBe('TOO_FEW_OFFICERS');
    expect(codeOf(() => sut.check(decided, step('service', '2026-03-11T01:00:00Z', { method: 'post' }, alone)))).toBeUndefined();
    // A made-up method is no way round the two officers.
    expect(codeOf(() => sut.check(decided, step('service', '2026-03-11T01:00:00Z', { method: 'courier' }, alone)))).toBe(
      'TOO_FEW_OFFICERS',
    );
    expect(codeOf(() => sut.check(decided, step('service', '2026-03-11T01:00:00Z', { method: 'courier' })))).toBe('SERVICE_METHOD_INVALID');
    expect(codeOf(() => sut.check(decided, step('execution', '2026-03-11T01:00:00Z', {}, alone)))).toBe('TOO_FEW_OFFICERS');
  });

  it('on the spot: every fine has its amount, the fines are summed, and the party signs or refuses on record', () => {
    const simplified = facts({ procedure: 'simplified', partyKind: 'natural-person' });
    const decide = (fields: Record<string, unknown>) =>
      codeOf(() =>
        sut.check(simplified, step('decision', '2026-03-02T03:00:00Z', { partySignature: 'signed', partyInformed: true, ...fields })),
      );
    expect(decide({ penalties: [{ kind: 'fine' }] })).toBe('FINE_AMOUNT_REQUIRED');
    expect(decide({ penalties: [{ kind: 'fine', amountFen: -100 }] })).toBe('FINE_AMOUNT_REQUIRED');
    expect(decide({ penalties: [{ kind: 'fine', amountFen: 100.5 }] })).toBe('FINE_AMOUNT_REQUIRED');
    expect(decide({ penalties: [fine(15_000), fine(10_000)] })).toBe('SIMPLIFIED_PROCEDURE_NOT_ALLOWED');
    expect(decide({ penalties: [fine(10_000), fine(10_000), { kind: 'warning' }] })).toBeUndefined();
    expect(decide({ penalties: [fine(10_000)], partySignature: undefined })).toBe('PARTY_SIGNATURE_REQUIRED');
    expect(decide({ penalties: [fine(10_000)], partySignature: 'refused' })).toBeUndefined();
    // Art. 44 on the spot: told before the decision, as the decision records or by a notice step.
    expect(decide({ penalties: [fine(10_000)], partyInformed: undefined })).toBe('NOTICE_REQUIRED');
    const told = facts({
      procedure: 'simplified',
      partyKind: 'natural-person',
      steps: [past('notice', '2026-03-02T02:30:00Z', smallFine)],
    });
    expect(
      codeOf(() => sut.check(told, step('decision', '2026-03-02T03:00:00Z', { penalties: [fine(10_000)], partySignature: 'signed' }))),
    ).toBeUndefined();
  });
});
