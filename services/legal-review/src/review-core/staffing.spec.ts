import { staffingOf } from './staffing';

describe('staffingOf', () => {
  it.each([
    [40, 2, true, 2],
    [41, 2, false, 3],
    [0, 0, true, 0],
    [100, 4, false, 5],
  ])('%d officers, %d reviewers: meets %s (needs %d)', (officers, reviewers, meets, required) => {
    const sut = staffingOf({
      enforcementOfficers: officers,
      reviewers,
      concludedByReviewer: new Map([
        ['r1', 6],
        ['r2', 3],
      ]),
    });
    expect(sut.meetsGuideline).toBe(meets);
    expect(sut.requiredReviewers).toBe(required);
    expect(sut.reviewsConcluded).toBe(9);
  });

  it('gives reviews per reviewer and the ratio', () => {
    expect(
      staffingOf({
        enforcementOfficers: 40,
        reviewers: 2,
        concludedByReviewer: new Map([
          ['r1', 6],
          ['r2', 3],
        ]),
      }),
    ).toMatchObject({
      ratio: 0.05,
      reviewsPerReviewer: 4.5,
    });
  });
});
