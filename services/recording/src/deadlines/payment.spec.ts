import { lateFeeOf } from './payment';

const shanghai = (local: string) => new Date(`${local}+08:00`);

describe('payment (Art. 67, 72)', () => {
  describe(lateFeeOf.name, () => {
    it('is nothing while the period runs, and on its last day', () => {
      expect(lateFeeOf(100_000n, '2025-03-20', shanghai('2025-03-20T23:59:59'))).toMatchObject({ daysLate: 0, lateFeeFen: '0' });
    });

    it('adds 3% of the fine for each day after the last day, the day of payment included', () => {
      expect(lateFeeOf(100_000n, '2025-03-20', shanghai('2025-03-21T00:00:01'))).toMatchObject({ daysLate: 1, lateFeeFen: '3000' });
      expect(lateFeeOf(100_000n, '2025-03-20', shanghai('2025-03-30T12:00:00'))).toMatchObject({
        daysLate: 10,
        lateFeeFen: '30000',
        capped: false,
        article: '《行政处罚法》第七十二条',
      });
    });

    it('never exceeds the fine itself, however late (the 34th day would be 102%)', () => {
      expect(lateFeeOf(100_000n, '2025-03-20', shanghai('2025-04-23T10:00:00'))).toMatchObject({
        daysLate: 34,
        lateFeeFen: '100000',
        capped: true,
      });
      expect(lateFeeOf(100_000n, '2025-03-20', shanghai('2026-03-20T10:00:00')).lateFeeFen).toBe('100000');
    });

    it('rounds down to the fen', () => {
      expect(lateFeeOf(333n, '2025-03-20', shanghai('2025-03-21T10:00:00')).lateFeeFen).toBe('9');
    });
  });
});
