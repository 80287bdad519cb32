import { isValidCreditCode, withCreditCodeCheck } from './credit-code';

describe(isValidCreditCode.name, () => {
  it('accepts a published code and one completed with its check character', () => {
    expect(isValidCreditCode('91110000600037341L')).toBe(true);
    expect(isValidCreditCode(withCreditCodeCheck('91310101MA1FL1234'))).toBe(true);
  });

  it.each([
    ['a wrong check character', '91110000600037341M'],
    ['a letter the standard leaves out (O)', '9111000060003734OL'],
    ['a division part that is not digits', '9111A000600037341L'],
    ['the wrong length', '91110000600037341'],
    ['lower case', '91110000600037341l'],
  ])('refuses %s', (_what, code) => {
    expect(isValidCreditCode(code)).toBe(false);
  });
});
