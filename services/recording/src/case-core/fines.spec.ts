import { fineFenOf } from './fines';

describe('fines (Art. 67)', () => {
  describe(fineFenOf.name, () => {
    it('adds up every fine among the penalties, wherever it stands in the list', () => {
      const fields = {
        penalties: [
          { kind: 'warning' },
          { kind: 'confiscation', amountFen: 500_000 },
          { kind: 'fine', amountFen: 300_000 },
          { kind: 'fine', amountFen: 200_000 },
        ],
      };

      expect(fineFenOf(fields)).toBe(500_000n);
    });

    it('reads an older decision that states its fine only as fineAmountFen, as a number or a string of digits', () => {
      expect(fineFenOf({ fineAmountFen: 120_000 })).toBe(120_000n);
      expect(fineFenOf({ fineAmountFen: '90071992547409930' })).toBe(90071992547409930n);
    });

    it('finds no fine in a warning, a confiscation, or amounts that are not amounts', () => {
      expect(fineFenOf({ penalties: [{ kind: 'warning' }, { kind: 'confiscation', amountFen: 100 }] })).toBe(0n);
      expect(fineFenOf({ penalties: [{ kind: 'fine', amountFen: -5 }], fineAmountFen: 'abc' })).toBe(0n);
      expect(fineFenOf({})).toBe(0n);
    });
  });
});
