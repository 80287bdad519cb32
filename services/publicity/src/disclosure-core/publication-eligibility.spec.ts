import { publicationEligibility, type EligibilityFacts } from './publication-eligibility';

const fine: EligibilityFacts = { partyIsMinor: false, penaltyKinds: ['fine'], confidentiality: 'none' };

describe(publicationEligibility.name, () => {
  it('publishes a fine against an adult or organisation in an open case', () => {
    expect(publicationEligibility(fine)).toEqual({ publish: true });
    expect(publicationEligibility({ ...fine, penaltyKinds: ['warning', 'fine'] })).toEqual({ publish: true });
  });

  it.each([
    ['a minor, whatever the penalty', { ...fine, partyIsMinor: true, penaltyKinds: ['fine', 'confiscation'] }, 'PARTY_IS_MINOR'],
    [
      'a minor in a confidential case: the minor rule is given',
      { ...fine, partyIsMinor: true, confidentiality: 'state-secret' },
      'PARTY_IS_MINOR',
    ],
    ['a warning alone', { ...fine, penaltyKinds: ['warning'] }, 'WARNING_ONLY'],
    ['two warnings', { ...fine, penaltyKinds: ['warning', 'warning'] }, 'WARNING_ONLY'],
    ['no penalty (不予处罚)', { ...fine, penaltyKinds: [] }, 'NO_PENALTY'],
    ['blank kinds only', { ...fine, penaltyKinds: [' '] }, 'NO_PENALTY'],
    ['a state secret', { ...fine, confidentiality: 'state-secret' }, 'CASE_CONFIDENTIAL'],
    ['a trade secret', { ...fine, confidentiality: 'trade-secret' }, 'CASE_CONFIDENTIAL'],
    ['personal privacy', { ...fine, confidentiality: 'personal-privacy' }, 'CASE_CONFIDENTIAL'],
  ] as const)('never publishes %s', (_case, facts, code) => {
    const sut = publicationEligibility(facts as EligibilityFacts);
    expect(sut).toEqual(expect.objectContaining({ publish: false, code }));
    if (!sut.publish) expect(sut.article).toMatch(/《/);
  });
});
