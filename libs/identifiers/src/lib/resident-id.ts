import { isValidDay } from '@enforcement/calendar';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

/**
 * Checks an 18-character resident identity card number (公民身份号码, GB 11643-1999): division code,
 * birth date, sequence and the ISO 7064 MOD 11-2 check character.
 */
export function isValidResidentId(value: string): boolean {
  if (!/^\d{17}[\dX]$/.test(value)) return false;
  const birth = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (!isValidDay(birth)) return false;
  const sum = WEIGHTS.reduce((total, weight, index) => total + weight * Number(value[index]), 0);
  return CHECK_CHARACTERS[sum % 11] === value[17];
}

/** For display to the agency's own administrators: the region prefix and the last four characters. */
export function maskResidentId(value: string): string {
  return `${value.slice(0, 4)}**********${value.slice(-4)}`;
}

/** Completes 17 digits with their check character (demo data and tests need valid numbers). */
export function withCheckCharacter(first17: string): string {
  const sum = WEIGHTS.reduce((total, weight, index) => total + weight * Number(first17[index]), 0);
  return first17 + CHECK_CHARACTERS[sum % 11];
}
