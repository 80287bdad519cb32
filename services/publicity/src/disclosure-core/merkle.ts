import { createHash } from 'node:crypto';

/**
 * The Merkle tree of a day's disclosures (RFC 9162 §2.1, the Certificate Transparency tree): a leaf hash is
 * SHA-256(0x00 ‖ leaf), an inner node SHA-256(0x01 ‖ left ‖ right), so a leaf can never pass for a node; a tree of
 * n leaves splits at the largest power of two below n. Plain and dependency-free, so that the offline verifier
 * (`npm run verify-disclosure`) runs the very same code.
 */

const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);

export type Hex = string;

export function sha256Hex(data: string | Buffer): Hex {
  return createHash('sha256').update(data).digest('hex');
}

export function leafHash(leaf: string | Buffer): Hex {
  return createHash('sha256').update(LEAF_PREFIX).update(leaf).digest('hex');
}

function nodeHash(left: Hex, right: Hex): Hex {
  return createHash('sha256').update(NODE_PREFIX).update(Buffer.from(left, 'hex')).update(Buffer.from(right, 'hex')).digest('hex');
}

/** The hash of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT = sha256Hex('');

function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The root over leaf hashes (in their order). */
export function merkleRoot(leafHashes: readonly Hex[]): Hex {
  if (leafHashes.length === 0) return EMPTY_ROOT;
  if (leafHashes.length === 1) return leafHashes[0];
  const k = split(leafHashes.length);
  return nodeHash(merkleRoot(leafHashes.slice(0, k)), merkleRoot(leafHashes.slice(k)));
}

/** The audit path of leaf `index`: the sibling hashes from the leaf up to the root (RFC 9162 §2.1.3.1). */
export function inclusionProof(leafHashes: readonly Hex[], index: number): Hex[] {
  if (!Number.isInteger(index) || index < 0 || index >= leafHashes.length)
    throw new RangeError(`no leaf ${index} among ${leafHashes.length}`);
  if (leafHashes.length === 1) return [];
  const k = split(leafHashes.length);
  return index < k
    ? [...inclusionProof(leafHashes.slice(0, k), index), merkleRoot(leafHashes.slice(k))]
    : [...inclusionProof(leafHashes.slice(k), index - k), merkleRoot(leafHashes.slice(0, k))];
}

/** Whether `leaf` (its hash) at `index` of a tree of `size` leaves, with `proof`, yields `root` (RFC 9162 §2.1.3.2). */
export function verifyInclusion(leaf: Hex, index: number, size: number, proof: readonly Hex[], root: Hex): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r === root;
}
