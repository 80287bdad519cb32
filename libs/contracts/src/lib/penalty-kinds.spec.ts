import { isPenaltyKind, PENALTY_KIND_NAMES, PENALTY_KINDS, penaltyKindName } from './penalty-kinds';

describe('penalty kinds', () => {
  it('names every kind in Chinese, as Art. 9 does, each name once', () => {
    const names = PENALTY_KINDS.map(penaltyKindName);
    for (const name of names) expect(name).toMatch(/^[\u4e00-\u9fff、]+$/);
    expect(new Set(names).size).toBe(PENALTY_KINDS.length);
    expect(Object.keys(PENALTY_KIND_NAMES).sort()).toEqual([...PENALTY_KINDS].sort());
  });

  it('leaves an unknown kind as it came and does not take it for a kind', () => {
    expect(penaltyKindName('licence_suspension')).toBe('licence_suspension');
    expect(isPenaltyKind('licence_suspension')).toBe(false);
    expect(isPenaltyKind('licence-suspension')).toBe(true);
  });
});
