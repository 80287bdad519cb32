import type { CaseDeadlineEntity } from './case-deadline.entity';
import { deadlineView } from './deadline-view';

const shanghai = (local: string) => new Date(`${local}+08:00`);

function row(overrides: Partial<CaseDeadlineEntity> = {}): CaseDeadlineEntity {
  return {
    id: 'p1',
    caseId: 'c1',
    agencyId: 'a1',
    regionCode: '310101',
    kind: 'payment-15d',
    startedByRecordId: 'r1',
    startsAt: shanghai('2025-04-01T10:00:00'),
    dueAt: shanghai('2025-04-17T00:00:00'),
    satisfiedAt: null,
    satisfiedByRecordId: null,
    calendarCoverage: 'official',
    status: 'open',
    extensionDays: 0,
    suspendedDays: 0,
    suspendedAt: null,
    amountFen: '320000',
    ...overrides,
  };
}

describe(deadlineView.name, () => {
  it('shows the late fee of an unpaid fine to today: 3% a day after the last day (Art. 72)', () => {
    const view = deadlineView(row(), shanghai('2025-04-20T09:00:00'));
    expect(view).toMatchObject({ status: 'open', overdue: true, lastDay: '2025-04-16' });
    expect(view.payment).toMatchObject({ fineFen: '320000', daysLate: 4, lateFeeFen: '38400', capped: false });
  });

  it('stops the fee at the payment, and caps it at the fine', () => {
    const paid = deadlineView(row({ status: 'satisfied', satisfiedAt: shanghai('2025-04-18T09:00:00') }), shanghai('2025-09-01T09:00:00'));
    expect(paid.payment).toMatchObject({ daysLate: 2, lateFeeFen: '19200' });
    expect(deadlineView(row(), shanghai('2025-09-01T09:00:00')).payment).toMatchObject({ lateFeeFen: '320000', capped: true });
  });

  it('shows no fee for a cancelled payment (revoked decision) or one whose fine is unknown', () => {
    expect(deadlineView(row({ status: 'cancelled' }), shanghai('2025-05-01T09:00:00')).payment).toBeUndefined();
    expect(deadlineView(row({ amountFen: null }), shanghai('2025-05-01T09:00:00')).payment).toBeUndefined();
  });

  it('shows a suspended period as suspended, never overdue', () => {
    const suspended = row({ kind: 'decision-90d', status: 'suspended', suspendedAt: shanghai('2025-04-10T10:00:00'), amountFen: null });
    expect(deadlineView(suspended, shanghai('2025-09-01T09:00:00'))).toMatchObject({
      status: 'suspended',
      overdue: false,
      suspendedAt: shanghai('2025-04-10T10:00:00').toISOString(),
    });
  });
});
