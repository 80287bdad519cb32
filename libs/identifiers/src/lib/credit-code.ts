/**
 * The unified social credit code of an organisation (统一社会信用代码, GB 32100-2015): registration authority,
 * organisation type, division code, the organisation's own nine characters and a check character (MOD 31),
 * over 31 characters that leave out I, O, S, V and Z.
 */
const CHARACTERS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

function checkCharacter(first17: string): string {
  const sum = WEIGHTS.reduce((total, weight, index) => total + weight * CHARACTERS.indexOf(first17[index]), 0);
  return CHARACTERS[(31 - (sum % 31)) % 31];
}

export function isValidCreditCode(value: string): boolean {
  return SHAPE.test(value) && checkCharacter(value.slice(0, 17)) === value[17];
}

/** Completes 17 characters with their check character (demo data and tests need valid codes). */
export function withCreditCodeCheck(first17: string): string {
  return first17 + checkCharacter(first17);
}
