import { addMonthsToDay, DEFAULT_PUBLICATION_PERIODS, publicationMonths, publicUntil } from './publication-period';

describe('publication period', () => {
  it.each([
    ['criticism alone', [{ kind: 'criticism', amountFen: 0 }], 'organisation', 3],
    ['a small fine of a person (10,000 CNY)', [{ kind: 'fine', amountFen: 1_000_000 }], 'natural-person', 3],
    ['a fine of a person just above the small amount', [{ kind: 'fine', amountFen: 1_000_001 }], 'natural-person', 36],
    ['the same fine of an organisation is small', [{ kind: 'fine', amountFen: 1_000_001 }], 'organisation', 3],
    [
      'a warning with a small fine',
      [
        { kind: 'warning', amountFen: 0 },
        { kind: 'fine', amountFen: 20_000 },
      ],
      'natural-person',
      3,
    ],
    [
      'a small fine with confiscation',
      [
        { kind: 'fine', amountFen: 20_000 },
        { kind: 'confiscation', amountFen: 100 },
      ],
      'organisation',
      36,
    ],
    ['licence revocation', [{ kind: 'licence_revocation', amountFen: 0 }], 'organisation', 36],
    [
      'two small fines adding up past the amount',
      [
        { kind: 'fine', amountFen: 600_000 },
        { kind: 'fine', amountFen: 600_000 },
      ],
      'natural-person',
      36,
    ],
  ] as const)('%s: %d months', (_case, penalties, partyKind, months) => {
    expect(publicationMonths(penalties, partyKind)).toBe(months);
  });

  it('takes the agency’s own amounts and periods', () => {
    const settings = { ...DEFAULT_PUBLICATION_PERIODS, shortMonths: 6, smallFineMaxFen: { 'natural-person': 100, organisation: 100 } };
    expect(publicationMonths([{ kind: 'fine', amountFen: 100 }], 'natural-person', settings)).toBe(6);
    expect(publicationMonths([{ kind: 'fine', amountFen: 101 }], 'natural-person', settings)).toBe(36);
  });

  it.each([
    ['2026-03-15', 3, '2026-06-15'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2027-11-30', 3, '2028-02-29'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2026-03-15', 36, '2029-03-15'],
  ])('%s plus %d months is %s', (day, months, expected) => {
    expect(addMonthsToDay(day, months)).toBe(expected);
  });

  it('ends at 00:00 Shanghai of the same day months later', () => {
    expect(publicUntil(new Date('2026-03-15T20:00:00+08:00'), 3)).toEqual(new Date('2026-06-15T00:00:00+08:00'));
    // 23:00 UTC on 14 March is already 15 March in Shanghai.
    expect(publicUntil(new Date('2026-03-14T23:00:00Z'), 3)).toEqual(new Date('2026-06-15T00:00:00+08:00'));
  });
});
