/**
 * Administrative division codes (GB/T 2260) are six digits: two for the province, two for the city, two for
 * the county or district. A code ending in 0000 names a province, one ending in 00 a city; a certificate
 * granted for either covers every division below it.
 */
const DIVISION_CODE = /^\d{6}$/;

export function isDivisionCode(code: string): boolean {
  return DIVISION_CODE.test(code);
}

/**
 * The leading digits every division covered by `granted` shares: 2 for a province, 4 for a city, all 6 for a
 * county. Precomputed once per certificate so that the check is a `startsWith` per granted region.
 */
export function coveragePrefix(granted: string): string {
  if (!isDivisionCode(granted)) throw new RangeError(`not a GB/T 2260 division code: '${granted}'`);
  if (granted.endsWith('0000')) return granted.slice(0, 2);
  if (granted.endsWith('00')) return granted.slice(0, 4);
  return granted;
}

/** Whether a grant for `granted` reaches an action in `target` (both six-digit division codes). */
export function regionCovers(granted: string, target: string): boolean {
  return isDivisionCode(target) && target.startsWith(coveragePrefix(granted));
}
