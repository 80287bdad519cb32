import { CaseProcedure, type CaseFacts, type NewStep, type PastStep } from './case-procedure';
import { DEFAULT_THRESHOLDS } from './penalties';
import { RecordingError } from './recording.error';

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
const past = (stepType: string, occurredAt: string, fields: Record<string, unknown> = {}, actingOfficerIds = ['o1', 'o2']): PastStep => ({
  id: `${stepType}-${occurredAt}`,
  stepType,
  occurredAt: at(occurredAt),
  fields,
  actingOfficerIds,
});
const step = (stepType: NewStep['stepType'], occurredAt: string, fields: Record<string, unknown> = {}): NewStep => ({
  stepType,
  occurredAt: at(occurredAt),
  fields,
  actingOfficerIds: ['o1', 'o2'],
  recordedAt: at(occurredAt),
});
const largeFine = { penalties: [{ kind: 'fine', amountFen: 20_000_000 }] };
const smallFine = { penalties: [{ kind: 'fine', amountFen: 10_000 }] };

function facts(overrides: Partial<CaseFacts> = {}): CaseFacts {
  return {
    procedure: 'general',
    status: 'open',
    partyKind: 'organisation',
    legalReviewStatus: 'not-required',
    requiresCollectiveDecision: false,
    handlingOfficerIds: ['o1', 'o2'],
    steps: [past('opening', '2026-03-02T01:00:00Z')],
    ...overrides,
  };
}

function refusal(work: () => void): { code: string; article: string } | undefined {
  try {
    work();
  } catch (error) {
    if (error instanceof RecordingError) return { code: error.code, article: (error.details as { article: string }).article };
    throw error;
  }
  return undefined;
}

describe(CaseProcedure.name, () => {
  const sut = new CaseProcedure(weekdays, DEFAULT_THRESHOLDS);

  it('refuses a decision without the prior notice of Art. 44 / 62', () => {
    expect(refusal(() => sut.check(facts(), step('decision', '2026-03-10T01:00:00Z', smallFine)))).toEqual({
      code: 'NOTICE_REQUIRED',
      article: '《行政处罚法》第四十四条、第六十二条',
    });
  });

  it('allows a decision after notice when nothing else is pending', () => {
    const noticed = facts({ steps: [past('notice', '2026-03-03T01:00:00Z', smallFine)] });
    expect(refusal(() => sut.check(noticed, step('decision', '2026-03-10T01:00:00Z', smallFine)))).toBeUndefined();
  });

  it('refuses a decision while a requested hearing has not been held (HEARING_PENDING)', () => {
    const requested = facts({
      steps: [past('notice', '2026-03-03T01:00:00Z', largeFine), past('hearing-request', '2026-03-04T01:00:00Z')],
    });
    expect(refusal(() => sut.check(requested, step('decision', '2026-03-20T01:00:00Z', largeFine)))?.code).toBe('HEARING_PENDING');
    const heard = facts({
      legalReviewStatus: 'approved',
      steps: [...requested.steps, past('hearing', '2026-03-18T01:00:00Z'), past('collective-decision', '2026-03-19T01:00:00Z')],
    });
    const onTranscript = { ...largeFine, hearingRecordId: 'hearing-2026-03-18T01:00:00Z' };
    expect(refusal(() => sut.check(heard, step('decision', '2026-03-20T01:00:00Z', onTranscript)))).toBeUndefined();
  });

  it.each(['required', 'requested', 'returned', 'rejected'] as const)('refuses a decision whose legal review is %s (Art. 58)', (status) => {
    const reviewed = facts({ legalReviewStatus: status, steps: [past('notice', '2026-03-03T01:00:00Z', largeFine)] });
    expect(refusal(() => sut.check(reviewed, step('decision', '2026-03-20T01:00:00Z', largeFine)))?.code).toBe('LEGAL_REVIEW_REQUIRED');
  });

  it('passes a decision whose legal review was approved', () => {
    const approved = facts({
      legalReviewStatus: 'approved',
      steps: [past('notice', '2026-03-03T01:00:00Z', largeFine), past('collective-decision', '2026-03-19T01:00:00Z')],
    });
    expect(refusal(() => sut.check(approved, step('decision', '2026-03-20T01:00:00Z', largeFine)))).toBeUndefined();
  });

  it('refuses a decision without the collective decision a complex case needs (Art. 57)', () => {
    const complex = facts({ requiresCollectiveDecision: true, steps: [past('notice', '2026-03-03T01:00:00Z', smallFine)] });
    expect(refusal(() => sut.check(complex, step('decision', '2026-03-20T01:00:00Z', smallFine)))?.code).toBe(
      'COLLECTIVE_DECISION_REQUIRED',
    );
  });

  it('limits the simplified procedure to a warning or a small fine, by party kind (Art. 51)', () => {
    const simplified = (partyKind: CaseFacts['partyKind']) => facts({ procedure: 'simplified', partyKind });
    const fine = (fen: number) =>
      step('decision', '2026-03-02T02:00:00Z', {
        penalties: [{ kind: 'fine', amountFen: fen }],
        partySignature: 'signed',
        partyInformed: true,
      });
    expect(refusal(() => sut.check(simplified('natural-person'), fine(20_000)))).toBeUndefined();
    expect(refusal(() => sut.check(simplified('natural-person'), fine(20_001)))?.code).toBe('SIMPLIFIED_PROCEDURE_NOT_ALLOWED');
    expect(refusal(() => sut.check(simplified('organisation'), fine(300_000)))).toBeUndefined();
    expect(refusal(() => sut.check(simplified('organisation'), fine(300_001)))?.code).toBe('SIMPLIFIED_PROCEDURE_NOT_ALLOWED');
    expect(refusal(() => sut.check(simplified('organisation'), step('sealing-seizure', '2026-03-02T02:00:00Z')))?.code).toBe(
      'SIMPLIFIED_PROCEDURE_NOT_ALLOWED',
    );
  });

  it('takes a hearing request only within five working days of the notice, and only for heavy penalties', () => {
    const noticed = facts({ steps: [past('notice', '2026-03-06T02:00:00Z', largeFine)] }); // a Friday
    expect(refusal(() => sut.check(noticed, step('hearing-request', '2026-03-12T02:00:00Z')))).toBeUndefined();
    expect(refusal(() => sut.check(noticed, step('hearing-request', '2026-03-13T02:00:00Z')))?.code).toBe('HEARING_REQUEST_LATE');
    const small = facts({ steps: [past('notice', '2026-03-06T02:00:00Z', smallFine)] });
    expect(refusal(() => sut.check(small, step('hearing-request', '2026-03-09T02:00:00Z')))?.code).toBe('HEARING_NOT_AVAILABLE');
  });

  it('needs the hearing notice seven working days ahead, and a chair who did not investigate', () => {
    const requested = facts({
      steps: [past('notice', '2026-03-02T01:00:00Z', largeFine), past('hearing-request', '2026-03-03T01:00:00Z')],
    });
    expect(
      refusal(() =>
        sut.check(requested, step('hearing-notice', '2026-03-04T01:00:00Z', { hearingAt: '2026-03-10T01:00:00Z', hearingPlace: '听证室' })),
      )?.code,
    ).toBe('HEARING_NOTICE_TOO_LATE');
    expect(
      refusal(() =>
        sut.check(requested, step('hearing-notice', '2026-03-04T01:00:00Z', { hearingAt: '2026-03-13T01:00:00Z', hearingPlace: '听证室' })),
      ),
    ).toBeUndefined();

    const notified = facts({
      steps: [
        ...requested.steps,
        past('hearing-notice', '2026-03-04T01:00:00Z', { hearingAt: '2026-03-13T01:00:00Z', hearingPlace: '听证室' }),
      ],
    });
    const hearing = (chairOfficerId: string) => ({ ...step('hearing', '2026-03-13T01:00:00Z', { chairOfficerId }), place: '听证室' });
    expect(refusal(() => sut.check(notified, hearing('o2')))?.code).toBe('HEARING_CHAIR_INVESTIGATED');
    expect(refusal(() => sut.check(notified, hearing('o9')))).toBeUndefined();
  });

  it('refuses a hearing notice without a request or a time, and a hearing without a notice or a chair (Art. 64)', () => {
    const noticed = facts({ steps: [past('notice', '2026-03-02T01:00:00Z', largeFine)] });
    const hearingNotice = (fields: Record<string, unknown>) => step('hearing-notice', '2026-03-04T01:00:00Z', fields);
    const told = { hearingAt: '2026-03-13T01:00:00Z', hearingPlace: '听证室' };
    expect(refusal(() => sut.check(noticed, hearingNotice(told)))?.code).toBe('HEARING_NOT_REQUESTED');

    const requested = facts({ steps: [...noticed.steps, past('hearing-request', '2026-03-03T01:00:00Z')] });
    expect(refusal(() => sut.check(requested, hearingNotice({ hearingPlace: '听证室' })))?.code).toBe('HEARING_TIME_REQUIRED');
    expect(refusal(() => sut.check(requested, hearingNotice({ ...told, hearingAt: '下周五' })))?.code).toBe('HEARING_TIME_REQUIRED');
    expect(refusal(() => sut.check(requested, hearingNotice(told)))).toBeUndefined();

    const hearing = (fields: Record<string, unknown>) => ({ ...step('hearing', '2026-03-13T01:00:00Z', fields), place: '听证室' });
    expect(refusal(() => sut.check(requested, hearing({ chairOfficerId: 'o9' })))?.code).toBe('HEARING_NOT_NOTIFIED');
    const notified = facts({ steps: [...requested.steps, past('hearing-notice', '2026-03-04T01:00:00Z', told)] });
    expect(refusal(() => sut.check(notified, hearing({})))?.code).toBe('HEARING_CHAIR_REQUIRED');
    expect(refusal(() => sut.check(notified, hearing({ chairOfficerId: '' })))?.code).toBe('HEARING_CHAIR_REQUIRED');
    expect(refusal(() => sut.check(notified, hearing({ chairOfficerId: 'o9' })))).toBeUndefined();
  });

  it('refuses a second legal review while one is still pending (Art. 58)', () => {
    const noticed = (legalReviewStatus: CaseFacts['legalReviewStatus']) =>
      facts({ legalReviewStatus, steps: [past('notice', '2026-03-02T01:00:00Z', largeFine)] });
    expect(refusal(() => sut.check(noticed('requested'), step('legal-review', '2026-03-03T01:00:00Z')))).toEqual({
      code: 'LEGAL_REVIEW_PENDING',
      article: '《行政处罚法》第五十八条',
    });
    expect(refusal(() => sut.check(noticed('required'), step('legal-review', '2026-03-03T01:00:00Z')))).toBeUndefined();
  });

  it('refuses anything after closing, and service or execution before a decision', () => {
    expect(refusal(() => sut.check(facts({ status: 'closed' }), step('other', '2026-04-01T01:00:00Z')))?.code).toBe('CASE_CLOSED');
    expect(refusal(() => sut.check(facts(), step('service', '2026-04-01T01:00:00Z')))?.code).toBe('DECISION_REQUIRED');
    const absent = facts({ status: 'decided', steps: [past('decision', '2026-03-20T01:00:00Z', { ...smallFine, partyPresent: false })] });
    expect(refusal(() => sut.check(absent, step('execution', '2026-03-21T01:00:00Z')))?.code).toBe('SERVICE_REQUIRED');
  });

  it('refuses a second decision and system-recorded step types', () => {
    expect(refusal(() => sut.check(facts({ status: 'decided' }), step('decision', '2026-04-01T01:00:00Z', smallFine)))?.code).toBe(
      'DECISION_EXISTS',
    );
    expect(refusal(() => sut.check(facts(), step('opening', '2026-04-01T01:00:00Z')))?.code).toBe('STEP_NOT_ALLOWED');
  });
});
