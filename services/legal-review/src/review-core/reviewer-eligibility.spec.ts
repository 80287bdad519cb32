import {
  assertEligibleReviewer,
  chooseReviewer,
  ineligibility,
  type CaseParticipants,
  type ReviewerCandidate,
} from './reviewer-eligibility';

const participants: CaseParticipants = {
  handlingOfficerIds: ['h1', 'h2'],
  actingOfficerIds: ['h1', 'h2', 'a3'],
  hearingChairOfficerIds: ['chair'],
};
const candidate = (officerId: string, over: Partial<ReviewerCandidate> = {}): ReviewerCandidate => ({
  officerId,
  agencyId: 'A',
  qualified: true,
  ...over,
});

describe('reviewer eligibility', () => {
  it.each<[string, ReviewerCandidate, string | null, string | undefined]>([
    ['a qualified reviewer of the agency', candidate('r1'), null, undefined],
    ['a reviewer without the qualification', candidate('r1', { qualified: false }), 'REVIEWER_NOT_QUALIFIED', '《行政处罚法》第五十八条'],
    ['a reviewer of another agency', candidate('r1', { agencyId: 'B' }), 'REVIEWER_OTHER_AGENCY', undefined],
    ['a handling officer', candidate('h1'), 'REVIEWER_CONFLICT', undefined],
    ['an officer who acted in a step', candidate('a3'), 'REVIEWER_CONFLICT', undefined],
    ['the chair of the hearing', candidate('chair'), 'REVIEWER_CONFLICT', '《行政处罚法》第六十四条'],
  ])('%s', (_case, who, code, article) => {
    const refusal = ineligibility(who, 'A', participants);
    expect(refusal?.code ?? null).toBe(code);
    if (article) expect(refusal?.details?.['article']).toBe(article);
    if (code) expect(() => assertEligibleReviewer(who, 'A', participants)).toThrow(expect.objectContaining({ code }));
  });

  it('assigns the eligible reviewer with the fewest open reviews, the lower id on a tie', () => {
    const candidates = [candidate('r3'), candidate('h1'), candidate('r2'), candidate('r1', { qualified: false }), candidate('r4')];
    expect(
      chooseReviewer(
        candidates,
        'A',
        participants,
        new Map([
          ['r3', 2],
          ['r2', 1],
          ['r4', 1],
        ]),
      )?.officerId,
    ).toBe('r2');
    expect(
      chooseReviewer(
        candidates,
        'A',
        participants,
        new Map([
          ['r3', 0],
          ['r2', 0],
          ['r4', 0],
        ]),
      )?.officerId,
    ).toBe('r2');
    expect(
      chooseReviewer(
        candidates,
        'A',
        participants,
        new Map([
          ['r2', 3],
          ['r4', 3],
        ]),
      )?.officerId,
    ).toBe('r3');
    expect(chooseReviewer([candidate('h1'), candidate('x', { agencyId: 'B' })], 'A', participants, new Map())).toBeNull();
  });
});
