/**
 * JSON with object keys sorted at every level and no spaces, so the same content always hashes the same: a
 * record's chain hash and a case's state seal in recording, a disclosure's digest and Merkle leaf in publicity and
 * its verifier. Properties set to undefined are left out, as JSON.stringify leaves them out. The text must never
 * change, or stored hashes stop holding. Written with plain loops: it runs three times on every recorded step, and
 * the array methods' intermediate arrays were most of its cost.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out += ',';
      // As Array.prototype.join writes them: nothing for a hole or a value JSON has no text for.
      out += canonicalJson(value[index]) ?? '';
    }
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units, as the chain always has.
  const keys = Object.keys(object).sort();
  let out = '{';
  for (const key of keys) {
    const item = object[key];
    if (item === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${out}}`;
}
