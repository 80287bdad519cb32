import { isValidResidentId, maskResidentId } from './resident-id';

describe(isValidResidentId.name, () => {
  it('accepts numbers whose check character matches, including X', () => {
    expect(isValidResidentId('11010519491231002X')).toBe(true);
    expect(isValidResidentId('110105194912310029')).toBe(false);
    expect(isValidResidentId('440524188001010014')).toBe(true);
  });

  it('refuses wrong length, letters and impossible birth dates', () => {
    expect(isValidResidentId('11010519491231002')).toBe(false);
    expect(isValidResidentId('11010519491231002x')).toBe(false);
    expect(isValidResidentId('110105194902300024')).toBe(false);
  });

  it('masks all but the region prefix and the last four characters', () => {
    expect(maskResidentId('11010519491231002X')).toBe('1101**********002X');
  });
});
