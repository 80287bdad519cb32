import type { DiscretionEvaluation } from './discretion-benchmark';
import { Review, REVIEW_ITEMS, type ItemFinding } from './review';

const t = (minutes: number) => new Date(Date.UTC(2026, 2, 2, 2, minutes));
const submission = (digest: string, minutes = 0, discretion: DiscretionEvaluation | null = null) => ({
  proposalDigest: digest,
  submittedAt: t(minutes),
  dueAt: t(minutes + 10_000),
  discretion,
});
const allPass = (): ItemFinding[] => REVIEW_ITEMS.map((item) => ({ item, result: 'pass', comment: '' }));
const withProblem = (item: ItemFinding['item'], comment = '证据不足') =>
  allPass().map((finding) => (finding.item === item ? { ...finding, result: 'problem' as const, comment } : finding));

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe(Review.name, () => {
  it('goes pending → assigned → approved', () => {
    const sut = Review.open('rv', 'case', 'A', submission('d1'));
    expect(sut.state.status).toBe('pending');
    sut.assign('r1', t(1));
    expect(sut.state.status).toBe('assigned');
    sut.conclude({ outcome: 'approved', items: allPass(), opinion: '同意', by: 'r1', at: t(2) });
    expect(sut.state.status).toBe('approved');
    expect(sut.round).toMatchObject({ number: 1, outcome: 'approved', opinion: '同意', concludedAt: t(2) });
    expect(codeOf(() => sut.assign('r2', t(3)))).toBe('REVIEW_NOT_OPEN');
  });

  it('keeps the rounds of a return: the resubmission opens round 2 with the same reviewer, round 1 unchanged', () => {
    const sut = Review.open('rv', 'case', 'A', submission('d1'));
    sut.assign('r1', t(1));
    sut.conclude({ outcome: 'returned', items: withProblem('facts-and-evidence'), opinion: '补充调查', by: 'r1', at: t(2) });
    expect(sut.state.status).toBe('returned');
    expect(codeOf(() => sut.conclude({ outcome: 'approved', items: allPass(), opinion: '同意', by: 'r1', at: t(3) }))).toBe(
      'REVIEW_NOT_OPEN',
    );
    expect(sut.submit(submission('d1', 4))).toBe(false); // the same proposal again is a redelivery
    expect(sut.submit(submission('d2', 5))).toBe(true);
    expect(sut.state.status).toBe('assigned');
    expect(sut.state.rounds.map((round) => [round.number, round.proposalDigest, round.outcome, round.reviewerOfficerId])).toEqual([
      [1, 'd1', 'returned', 'r1'],
      [2, 'd2', null, 'r1'],
    ]);
    sut.conclude({ outcome: 'approved', items: allPass(), opinion: '同意', by: 'r1', at: t(6) });
    expect(sut.state.rounds[0]).toMatchObject({ outcome: 'returned', opinion: '补充调查' });
    expect(sut.round).toMatchObject({ number: 2, outcome: 'approved' });
  });

  it('supersedes an open round when the proposal changes, and reviews a changed proposal after approval again', () => {
    const sut = Review.open('rv', 'case', 'A', submission('d1'));
    sut.submit(submission('d2', 1));
    expect(sut.state.rounds.map((round) => round.outcome)).toEqual(['superseded', null]);
    expect(sut.state.status).toBe('pending');
    sut.assign('r1', t(2));
    sut.conclude({ outcome: 'approved', items: allPass(), opinion: '同意', by: 'r1', at: t(3) });
    sut.submit(submission('d3', 4));
    expect(sut.state.status).toBe('assigned');
    expect(sut.round.number).toBe(3);
  });

  it.each<[string, () => Parameters<Review['conclude']>[0], string]>([
    [
      'by someone else than the assigned reviewer',
      () => ({ outcome: 'approved', items: allPass(), opinion: '同意', by: 'r2', at: t(2) }),
      'REVIEW_NOT_ASSIGNED',
    ],
    [
      'with an item missing',
      () => ({ outcome: 'approved', items: allPass().slice(1), opinion: '同意', by: 'r1', at: t(2) }),
      'REVIEW_ITEMS_INCOMPLETE',
    ],
    [
      'with an item twice',
      () => ({ outcome: 'approved', items: [...allPass(), allPass()[0] as ItemFinding], opinion: '同意', by: 'r1', at: t(2) }),
      'REVIEW_ITEMS_INCOMPLETE',
    ],
    [
      'with a problem without comment',
      () => ({ outcome: 'returned', items: withProblem('procedure', ' '), opinion: '退回', by: 'r1', at: t(2) }),
      'ITEM_COMMENT_REQUIRED',
    ],
    ['without an opinion', () => ({ outcome: 'approved', items: allPass(), opinion: '', by: 'r1', at: t(2) }), 'OPINION_REQUIRED'],
    [
      'approving with a problem',
      () => ({ outcome: 'approved', items: withProblem('documents'), opinion: '同意', by: 'r1', at: t(2) }),
      'APPROVAL_WITH_PROBLEMS',
    ],
    [
      'returning without a problem',
      () => ({ outcome: 'returned', items: allPass(), opinion: '退回', by: 'r1', at: t(2) }),
      'PROBLEM_REQUIRED',
    ],
    [
      'refusing without a problem',
      () => ({ outcome: 'rejected', items: allPass(), opinion: '不同意', by: 'r1', at: t(2) }),
      'PROBLEM_REQUIRED',
    ],
  ])('refuses a conclusion %s', (_case, conclusion, code) => {
    const sut = Review.open('rv', 'case', 'A', submission('d1'));
    sut.assign('r1', t(1));
    expect(codeOf(() => sut.conclude(conclusion()))).toBe(code);
    expect(sut.state.status).toBe('assigned');
  });

  it('approves with a possible crime found (the transfer is then up to the case), and refuses an out-of-band penalty without reason', () => {
    const crime = Review.open('rv', 'case', 'A', submission('d1'));
    crime.assign('r1', t(1));
    crime.conclude({
      outcome: 'approved',
      items: withProblem('possible-crime', '涉嫌生产销售伪劣产品罪'),
      opinion: '同意，移送公安机关',
      by: 'r1',
      at: t(2),
    });
    expect(crime.state.status).toBe('approved');

    const outOfBand = {
      inBand: false,
      outOfBandReason: null,
      findings: [{ code: 'FINE_ABOVE_BAND', message: '' }],
    } as unknown as DiscretionEvaluation;
    const sut = Review.open('rv2', 'case2', 'A', submission('d1', 0, outOfBand));
    sut.assign('r1', t(1));
    expect(codeOf(() => sut.conclude({ outcome: 'approved', items: allPass(), opinion: '同意', by: 'r1', at: t(2) }))).toBe(
      'OUT_OF_BAND_REASON_REQUIRED',
    );
    sut.conclude({
      outcome: 'returned',
      items: withProblem('law-and-discretion', '超出裁量基准未说明理由'),
      opinion: '退回',
      by: 'r1',
      at: t(3),
    });
    expect(sut.state.status).toBe('returned');
  });

  it('marks an open round overdue once, and an extension clears it', () => {
    const sut = Review.open('rv', 'case', 'A', submission('d1'));
    expect(sut.markOverdue(t(20))).toBe(true);
    expect(sut.markOverdue(t(21))).toBe(false);
    sut.extend({ workingDays: 2, reason: '复杂', by: 'head', at: t(22).toISOString(), dueAt: t(30_000).toISOString() });
    expect(sut.round.overdueAt).toBeNull();
    expect(sut.round.dueAt).toEqual(t(30_000));
  });
});
