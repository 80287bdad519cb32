import { OFFICIAL_CALENDAR_YEARS, WorkingDayCalendar } from '@enforcement/calendar';
import { RecordingError } from '../case-core/recording.error';
import { DeadlinePolicy, type DeadlineFacts, type StepFacts } from './deadline-policy';
import { periodEnd, type DeadlineKind, type DeadlineStatus } from './deadline-rules';

const at = (day: string) => new Date(`${day}T10:00:00+08:00`);

function step(stepType: string, day: string, fields: Record<string, unknown> = {}, extra: Partial<StepFacts> = {}): StepFacts {
  return { id: `${stepType}-record`, stepType, occurredAt: at(day), fields, ...extra };
}

function deadline(id: string, kind: DeadlineKind, status: DeadlineStatus = 'open', extra: Partial<DeadlineFacts> = {}): DeadlineFacts {
  return { id, kind, startedByRecordId: `${id}-start`, dueAt: new Date('2025-06-02T00:00:00+08:00'), status, ...extra };
}

describe(`${DeadlinePolicy.name}: the clock and the fine`, () => {
  const sut = new DeadlinePolicy();

  describe('the decision period (Art. 60)', () => {
    it("extends the decision period by the agency's length on the head's approval, running or suspended, and nothing else", () => {
      const approval = step('decision-extension-approval', '2025-04-01', { extensionRecordId: 'r', approverRole: 'agency-head' });
      const existing = [deadline('d', 'decision-90d'), deadline('h', 'evidence-hold-7wd')];
      expect(sut.effectsOf({ step: approval, deadlines: existing, decisionExtensionDays: 30 }).extend).toEqual([{ id: 'd', days: 30 }]);
      const suspended = [deadline('d', 'decision-90d', 'suspended')];
      expect(sut.effectsOf({ step: approval, deadlines: suspended, decisionExtensionDays: 45 }).extend).toEqual([{ id: 'd', days: 45 }]);
    });

    it('refuses an approval once the running decision period has run out, but not while it is suspended', () => {
      // deadline(): due 2025-06-02 00:00 (+08:00), the end of the 90th day.
      const lateApproval = step('decision-extension-approval', '2025-06-02', { extensionRecordId: 'r', approverRole: 'agency-head' });
      const refusal = (() => {
        try {
          sut.effectsOf({ step: lateApproval, deadlines: [deadline('d', 'decision-90d')], decisionExtensionDays: 30 });
        } catch (error) {
          return error as RecordingError;
        }
        return undefined;
      })();
      expect(refusal).toBeInstanceOf(RecordingError);
      expect(refusal).toMatchObject({ code: 'DECISION_PERIOD_EXPIRED', kind: 'refused' });
      // A suspended period stands still: its due date is not the end of it.
      const suspended = [deadline('d', 'decision-90d', 'suspended')];
      expect(sut.effectsOf({ step: lateApproval, deadlines: suspended, decisionExtensionDays: 30 }).extend).toEqual([
        { id: 'd', days: 30 },
      ]);
    });

    it('does not extend the decision period on the officers’ request, whatever it names as approver', () => {
      const request = step('decision-period-extension', '2025-04-01', { reason: '案情复杂', approvedBy: '局长 王某' });
      expect(
        sut.effectsOf({ step: request, deadlines: [deadline('d', 'decision-90d')], decisionExtensionDays: 30 }).extend,
      ).toBeUndefined();
    });

    it('suspends the running decision period and resumes the suspended one', () => {
      expect(sut.effectsOf({ step: step('suspension', '2025-04-01'), deadlines: [deadline('d', 'decision-90d')] }).suspend).toEqual(['d']);
      expect(
        sut.effectsOf({ step: step('resumption', '2025-04-11'), deadlines: [deadline('d', 'decision-90d', 'suspended')] }).resume,
      ).toEqual(['d']);
      // A resumption with nothing suspended does nothing (the procedure refuses it anyway: CASE_NOT_SUSPENDED).
      expect(sut.effectsOf({ step: step('resumption', '2025-04-11'), deadlines: [deadline('d', 'decision-90d')] }).resume).toBeUndefined();
    });

    it('ends a suspended decision period at closing', () => {
      expect(
        sut.effectsOf({ step: step('closing', '2025-04-11'), deadlines: [deadline('d', 'decision-90d', 'suspended')] }).satisfy,
      ).toEqual(['d']);
    });
  });

  describe('the payment period (Art. 67)', () => {
    it('starts from any fine among the penalties, not only a fineAmountFen', () => {
      const fields = { penalties: [{ kind: 'warning' }, { kind: 'fine', amountFen: 300_000 }] };
      expect(sut.effectsOf({ step: step('decision', '2025-04-01', fields), deadlines: [] }).start).toEqual([
        { kind: 'payment-15d', startsAt: at('2025-04-01') },
      ]);
      expect(
        sut.effectsOf({
          step: step('service', '2025-04-03'),
          deadlines: [],
          decision: step('decision', '2025-04-01', { ...fields, partyPresent: false }),
        }).start,
      ).toEqual([{ kind: 'payment-15d', startsAt: at('2025-04-03') }]);
    });

    it('starts none for a decision without a fine', () => {
      expect(sut.effectsOf({ step: step('decision', '2025-04-01', { penalties: [{ kind: 'warning' }] }), deadlines: [] }).start).toEqual(
        [],
      );
    });
  });

  describe('an altered decision (Art. 48)', () => {
    const existing = [deadline('s', 'service-7wd'), deadline('p', 'payment-15d'), deadline('q', 'payment-15d', 'satisfied')];

    it('cancels the open service and payment periods of a revoked or void decision', () => {
      for (const kind of ['revoked', 'confirmed-void']) {
        expect(sut.effectsOf({ step: step('decision-alteration', '2025-04-10', { kind }), deadlines: existing }).cancel).toEqual([
          's',
          'p',
        ]);
      }
      expect(
        sut.effectsOf({ step: step('decision-alteration', '2025-04-10', { kind: 'confirmed-illegal' }), deadlines: existing }).cancel,
      ).toBeUndefined();
    });

    it('re-amounts the open payment of a changed decision, or cancels it when no fine is left', () => {
      const changed = step('decision-alteration', '2025-04-10', { kind: 'changed', penalties: [{ kind: 'fine', amountFen: 100_000 }] });
      expect(sut.effectsOf({ step: changed, deadlines: existing }).amount).toEqual([{ id: 'p', amountFen: '100000' }]);
      const warningOnly = step('decision-alteration', '2025-04-10', { kind: 'changed', penalties: [{ kind: 'warning' }] });
      expect(sut.effectsOf({ step: warningOnly, deadlines: existing }).cancel).toEqual(['p']);
    });
  });

  describe('a correction', () => {
    const existing = [
      deadline('started', 'decision-90d', 'open', { startedByRecordId: 'opening-1' }),
      deadline('met', 'service-7wd', 'satisfied', { satisfiedByRecordId: 'service-1' }),
    ];

    it('moves the periods the corrected record started or met to the corrected time', () => {
      const correction = (recordId: string) =>
        step('correction', '2025-04-20', { correctedOccurredAt: '2025-03-04T09:00:00+08:00' }, { correctsRecordId: recordId });
      expect(sut.effectsOf({ step: correction('opening-1'), deadlines: existing }).move).toEqual([
        { id: 'started', startsAt: new Date('2025-03-04T09:00:00+08:00') },
      ]);
      expect(sut.effectsOf({ step: correction('service-1'), deadlines: existing }).move).toEqual([
        { id: 'met', satisfiedAt: new Date('2025-03-04T09:00:00+08:00') },
      ]);
    });

    it('moves nothing without a valid corrected time', () => {
      const noTime = step('correction', '2025-04-20', { text: '错别字' }, { correctsRecordId: 'opening-1' });
      expect(sut.effectsOf({ step: noTime, deadlines: existing }).move).toBeUndefined();
      const badTime = step('correction', '2025-04-20', { correctedOccurredAt: 'yesterday' }, { correctsRecordId: 'opening-1' });
      expect(sut.effectsOf({ step: badTime, deadlines: existing }).move).toBeUndefined();
    });
  });
});

describe(periodEnd.name, () => {
  const calendar = new WorkingDayCalendar(OFFICIAL_CALENDAR_YEARS);

  it('ends a calendar-day period that falls in a holiday on the next working day (民法典 Art. 203)', () => {
    // 15 days after 2025-09-16 is 1 October (National Day): the period ends on 9 October.
    expect(periodEnd('payment-15d', at('2025-09-16'), calendar).lastDay).toBe('2025-10-09');
  });

  it('adds the extension and the suspended days to the decision period', () => {
    // 90 + 30 + 5 days after 2025-03-03 is Sunday 6 July: Monday 7 July. 90 days alone is Sunday 1 June, in the
    // Dragon Boat holiday (5/31–6/2): Tuesday 3 June.
    expect(periodEnd('decision-90d', at('2025-03-03'), calendar, 35).lastDay).toBe('2025-07-07');
    expect(periodEnd('decision-90d', at('2025-03-03'), calendar).lastDay).toBe('2025-06-03');
  });

  it('still counts the working-day periods in working days (Art. 85)', () => {
    // 10/9, 10/10, 10/11 (a 调休 Saturday), 10/13 … 10/16.
    expect(periodEnd('service-7wd', at('2025-09-30'), calendar).lastDay).toBe('2025-10-16');
  });
});
