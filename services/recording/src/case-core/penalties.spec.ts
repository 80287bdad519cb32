import {
  DEFAULT_THRESHOLDS,
  hearingAvailable,
  heavierThan,
  penaltyWithoutAmount,
  simplifiedAllowed,
  totalsOf,
  type Penalty,
} from './penalties';

const fine = (amountFen: number): Penalty => ({ kind: 'fine', amountFen });

describe('penalties', () => {
  it('sums fines and confiscations over the list, so splitting one does not hide it (Art. 51, 63)', () => {
    expect(totalsOf([fine(100), fine(250), { kind: 'confiscation', amountFen: 7 }, { kind: 'warning' }])).toEqual({
      fineFen: 350,
      confiscationFen: 7,
    });
    // 6,000 + 6,000 CNY against a 10,000 CNY threshold for a natural person.
    expect(hearingAvailable([fine(600_000), fine(600_000)], 'natural-person')).toBe(true);
    expect(hearingAvailable([fine(600_000)], 'natural-person')).toBe(false);
    expect(simplifiedAllowed([fine(10_000), fine(10_000)], 'natural-person')).toBe(true);
    expect(simplifiedAllowed([fine(10_000), fine(10_001)], 'natural-person')).toBe(false);
  });

  it('counts licence suspension (暂扣) among the heavy penalties, whatever the amount (Art. 63)', () => {
    expect(hearingAvailable([{ kind: 'licence-suspension' }], 'organisation')).toBe(true);
    expect(hearingAvailable([{ kind: 'warning' }], 'organisation', DEFAULT_THRESHOLDS)).toBe(false);
  });

  it('finds a fine without a usable amount: missing, negative, fractional', () => {
    expect(penaltyWithoutAmount([{ kind: 'fine' }])).toEqual({ kind: 'fine' });
    expect(penaltyWithoutAmount([fine(-1)])).toBeDefined();
    expect(penaltyWithoutAmount([fine(1.5)])).toBeDefined();
    expect(penaltyWithoutAmount([fine(0), { kind: 'licence-revocation' }])).toBeUndefined();
    // A fine without its amount is not an on-the-spot fine of no amount.
    expect(simplifiedAllowed([{ kind: 'fine' }], 'organisation')).toBe(false);
  });

  it('tells a heavier decision from the notice: another kind, or a larger sum', () => {
    expect(heavierThan([fine(100)], [fine(100)])).toBeUndefined();
    expect(heavierThan([fine(50)], [fine(100), { kind: 'warning' }])).toBeUndefined();
    expect(heavierThan([fine(60), fine(60)], [fine(100)])).toBe('larger-amount');
    expect(heavierThan([fine(100), { kind: 'warning' }], [fine(100)])).toBe('other-kind');
    expect(heavierThan([{ kind: 'confiscation', amountFen: 2 }], [{ kind: 'confiscation', amountFen: 1 }])).toBe('larger-amount');
  });
});
