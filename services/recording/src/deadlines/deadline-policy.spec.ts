import { DeadlinePolicy, type DeadlineFacts, type StepFacts } from './deadline-policy';
import type { DeadlineKind, DeadlineStatus } from './deadline-rules';

const at = (day: string) => new Date(`${day}T10:00:00+08:00`);

function step(stepType: string, day: string, fields: Record<string, unknown> = {}, id = `${stepType}-record`): StepFacts {
  return { id, stepType, occurredAt: at(day), fields };
}

function deadline(
  id: string,
  kind: DeadlineKind,
  dueDay: string,
  status: DeadlineStatus = 'open',
  startedByRecordId = `${id}-start`,
): DeadlineFacts {
  return { id, kind, startedByRecordId, dueAt: new Date(`${dueDay}T00:00:00+08:00`), status };
}

describe(DeadlinePolicy.name, () => {
  const sut = new DeadlinePolicy();

  describe('opening (Art. 60)', () => {
    it('starts the 90 days for the decision at the opening', () => {
      expect(sut.effectsOf({ step: step('opening', '2025-03-03'), deadlines: [] })).toEqual({
        start: [{ kind: 'decision-90d', startsAt: at('2025-03-03') }],
        satisfy: [],
        lapse: [],
      });
    });

    it('starts them once per case', () => {
      const existing = [deadline('d1', 'decision-90d', '2025-06-02', 'satisfied')];

      expect(sut.effectsOf({ step: step('opening', '2025-03-04'), deadlines: existing }).start).toEqual([]);
    });
  });

  describe('evidence held in advance (Art. 56)', () => {
    it('starts 7 working days for each hold', () => {
      const existing = [deadline('h1', 'evidence-hold-7wd', '2025-03-13')];

      expect(sut.effectsOf({ step: step('evidence-hold', '2025-03-05'), deadlines: existing }).start).toEqual([
        { kind: 'evidence-hold-7wd', startsAt: at('2025-03-05') },
      ]);
    });

    it('is met by the release that names the hold, and only that one', () => {
      const existing = [
        deadline('h1', 'evidence-hold-7wd', '2025-03-13', 'open', 'hold-record-1'),
        deadline('h2', 'evidence-hold-7wd', '2025-03-14', 'open', 'hold-record-2'),
      ];

      expect(
        sut.effectsOf({ step: step('evidence-hold-release', '2025-03-07', { holdRecordId: 'hold-record-2' }), deadlines: existing }),
      ).toEqual({
        start: [],
        satisfy: ['h2'],
        lapse: [],
      });
    });

    it('is not met by a release that names no hold or an unknown one', () => {
      const existing = [deadline('h1', 'evidence-hold-7wd', '2025-03-13', 'open', 'hold-record-1')];

      expect(sut.effectsOf({ step: step('evidence-hold-release', '2025-03-07'), deadlines: existing }).satisfy).toEqual([]);
      expect(
        sut.effectsOf({ step: step('evidence-hold-release', '2025-03-07', { holdRecordId: 'other' }), deadlines: existing }).satisfy,
      ).toEqual([]);
    });

    it('is met by the decision, every open hold at once', () => {
      const existing = [
        deadline('h1', 'evidence-hold-7wd', '2025-03-13'),
        deadline('h2', 'evidence-hold-7wd', '2025-03-14', 'satisfied'),
        deadline('h3', 'evidence-hold-7wd', '2025-03-20'),
      ];

      expect(sut.effectsOf({ step: step('decision', '2025-03-12', { partyPresent: true }), deadlines: existing }).satisfy).toEqual([
        'h1',
        'h3',
      ]);
    });
  });

  describe('the hearing request window (Art. 64)', () => {
    it('opens 5 working days at each notice', () => {
      expect(sut.effectsOf({ step: step('notice', '2025-03-10'), deadlines: [] }).start).toEqual([
        { kind: 'hearing-request-5wd', startsAt: at('2025-03-10') },
      ]);
    });

    it('is met by a hearing request within it', () => {
      const existing = [deadline('w1', 'hearing-request-5wd', '2025-03-18')];

      expect(sut.effectsOf({ step: step('hearing-request', '2025-03-17'), deadlines: existing })).toEqual({
        start: [],
        satisfy: ['w1'],
        lapse: [],
      });
    });

    it('lapses, rather than being met, when the request comes after it ended', () => {
      const existing = [deadline('w1', 'hearing-request-5wd', '2025-03-18')];

      expect(sut.effectsOf({ step: step('hearing-request', '2025-03-18'), deadlines: existing })).toEqual({
        start: [],
        satisfy: [],
        lapse: ['w1'],
      });
    });

    it('lapses when any later step happens after it ended', () => {
      const existing = [deadline('w1', 'hearing-request-5wd', '2025-03-18'), deadline('d1', 'decision-90d', '2025-06-02')];

      expect(sut.effectsOf({ step: step('legal-review', '2025-03-19'), deadlines: existing })).toEqual({
        start: [],
        satisfy: [],
        lapse: ['w1'],
      });
      expect(sut.effectsOf({ step: step('legal-review', '2025-03-17'), deadlines: existing }).lapse).toEqual([]);
    });

    it('is not ended by the decision', () => {
      const existing = [deadline('w1', 'hearing-request-5wd', '2025-03-18')];

      expect(sut.effectsOf({ step: step('decision', '2025-03-17', { partyPresent: true }), deadlines: existing })).toEqual({
        start: [],
        satisfy: [],
        lapse: [],
      });
    });
  });

  describe('the decision (Art. 60, 61)', () => {
    it('meets the 90 days', () => {
      const existing = [deadline('d1', 'decision-90d', '2025-06-02')];

      expect(sut.effectsOf({ step: step('decision', '2025-04-01', { partyPresent: true }), deadlines: existing }).satisfy).toEqual(['d1']);
    });

    it('starts 7 working days for service when the party was absent', () => {
      expect(
        sut.effectsOf({ step: step('decision', '2025-04-01', { partyPresent: false, fineAmountFen: 500_000 }), deadlines: [] }),
      ).toEqual({
        start: [{ kind: 'service-7wd', startsAt: at('2025-04-01') }],
        satisfy: [],
        lapse: [],
      });
    });

    it.each([[{ partyPresent: true }], [{}], [{ partyPresent: 'no' }]])(
      'is served on the spot otherwise (%j): no service period',
      (fields) => {
        expect(sut.effectsOf({ step: step('decision', '2025-04-01', fields), deadlines: [] }).start).toEqual([]);
      },
    );

    it('served on the spot with a fine, starts the 15 days to pay at once', () => {
      expect(
        sut.effectsOf({ step: step('decision', '2025-04-01', { partyPresent: true, fineAmountFen: 20_000 }), deadlines: [] }).start,
      ).toEqual([{ kind: 'payment-15d', startsAt: at('2025-04-01') }]);
    });
  });

  describe('service (Art. 61, 67)', () => {
    const decision = (fields: Record<string, unknown>) =>
      step('decision', '2025-04-01', { partyPresent: false, ...fields }, 'decision-record');

    it('meets the service period and starts the 15 days to pay a fine', () => {
      const existing = [deadline('s1', 'service-7wd', '2025-04-11')];

      expect(
        sut.effectsOf({ step: step('service', '2025-04-03'), deadlines: existing, decision: decision({ fineAmountFen: 500_000 }) }),
      ).toEqual({
        start: [{ kind: 'payment-15d', startsAt: at('2025-04-03') }],
        satisfy: ['s1'],
        lapse: [],
      });
    });

    it.each([[{}], [{ fineAmountFen: 0 }], [{ fineAmountFen: -5 }], [{ fineAmountFen: '0' }], [{ fineAmountFen: 'lots' }]])(
      'starts no payment period without a fine (%j)',
      (fields) => {
        expect(sut.effectsOf({ step: step('service', '2025-04-03'), deadlines: [], decision: decision(fields) }).start).toEqual([]);
      },
    );

    it('reads a fine given as a string of fen', () => {
      expect(
        sut.effectsOf({ step: step('service', '2025-04-03'), deadlines: [], decision: decision({ fineAmountFen: '90071992547409930' }) })
          .start,
      ).toEqual([{ kind: 'payment-15d', startsAt: at('2025-04-03') }]);
    });

    it('starts no payment period before any decision, or a second one', () => {
      expect(sut.effectsOf({ step: step('service', '2025-04-03'), deadlines: [] }).start).toEqual([]);
      const existing = [deadline('p1', 'payment-15d', '2025-04-19')];
      expect(
        sut.effectsOf({ step: step('service', '2025-04-05'), deadlines: existing, decision: decision({ fineAmountFen: 100 }) }).start,
      ).toEqual([]);
    });
  });

  describe('execution (Art. 67)', () => {
    it('meets the payment period when the fine was paid', () => {
      const existing = [deadline('p1', 'payment-15d', '2025-04-19')];

      expect(sut.effectsOf({ step: step('execution', '2025-04-10', { paid: true }), deadlines: existing }).satisfy).toEqual(['p1']);
    });

    it.each([[{}], [{ paid: false }], [{ paid: 'true' }]])('does not meet it otherwise (%j)', (fields) => {
      const existing = [deadline('p1', 'payment-15d', '2025-04-19')];

      expect(sut.effectsOf({ step: step('execution', '2025-04-10', fields), deadlines: existing }).satisfy).toEqual([]);
    });
  });

  describe('closing', () => {
    it('ends every open period; a party window already over lapses', () => {
      const existing = [
        deadline('d1', 'decision-90d', '2025-06-02', 'satisfied'),
        deadline('h1', 'evidence-hold-7wd', '2025-03-13'),
        deadline('w1', 'hearing-request-5wd', '2025-03-18'),
        deadline('w2', 'hearing-request-5wd', '2025-05-30'),
        deadline('p1', 'payment-15d', '2025-04-19'),
      ];

      expect(sut.effectsOf({ step: step('closing', '2025-05-06'), deadlines: existing })).toEqual({
        start: [],
        satisfy: ['h1', 'w2', 'p1'],
        lapse: ['w1'],
      });
    });
  });

  it.each([
    'inspection',
    'inquiry',
    'sealing-seizure',
    'statement',
    'hearing-notice',
    'hearing',
    'legal-review',
    'collective-decision',
    'evidence-sealed',
    'correction',
    'other',
    'unknown-step',
  ])('%s starts and meets nothing', (stepType) => {
    const existing = [
      deadline('d1', 'decision-90d', '2025-06-02'),
      deadline('s1', 'service-7wd', '2025-04-11'),
      deadline('p1', 'payment-15d', '2025-04-19'),
    ];

    expect(sut.effectsOf({ step: step(stepType, '2025-04-03', { paid: true, partyPresent: false }), deadlines: existing })).toEqual({
      start: [],
      satisfy: [],
      lapse: [],
    });
  });
});
