import { canonicalJson } from '@enforcement/canonical-json';
import { EMPTY_ROOT, inclusionProof, leafHash, merkleRoot, sha256Hex, verifyInclusion } from './merkle';

const leaves = (n: number) => Array.from({ length: n }, (_, i) => leafHash(`disclosure-${i}`));

describe('merkle tree (RFC 9162)', () => {
  it('has the empty root and a single leaf as its own root', () => {
    expect(merkleRoot([])).toBe(EMPTY_ROOT);
    expect(EMPTY_ROOT).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const [one] = leaves(1);
    expect(merkleRoot([one])).toBe(one);
    expect(verifyInclusion(one, 0, 1, [], one)).toBe(true);
  });

  it('matches RFC 6962 test vectors for leaf and node hashes', () => {
    // The CT test vector: the leaf hash of the empty leaf.
    expect(leafHash('')).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
  });

  it.each([2, 3, 5, 7, 8, 13, 64, 100])('proves every leaf of a tree of %d', (n) => {
    const hashes = leaves(n);
    const root = merkleRoot(hashes);
    for (let i = 0; i < n; i++) {
      const proof = inclusionProof(hashes, i);
      expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)));
      expect(verifyInclusion(hashes[i], i, n, proof, root)).toBe(true);
    }
  });

  it('refuses a changed leaf, a wrong index, a wrong size, a shortened or a changed proof', () => {
    const hashes = leaves(7);
    const root = merkleRoot(hashes);
    const proof = inclusionProof(hashes, 4);
    expect(verifyInclusion(leafHash('disclosure-4 changed'), 4, 7, proof, root)).toBe(false);
    expect(verifyInclusion(hashes[4], 3, 7, proof, root)).toBe(false);
    expect(verifyInclusion(hashes[4], 4, 5, proof, root)).toBe(false);
    expect(verifyInclusion(hashes[4], 4, 7, proof.slice(1), root)).toBe(false);
    expect(verifyInclusion(hashes[4], 4, 7, [sha256Hex('x'), ...proof.slice(1)], root)).toBe(false);
    expect(verifyInclusion(hashes[4], 7, 7, proof, root)).toBe(false);
    expect(() => inclusionProof(hashes, 7)).toThrow(RangeError);
  });

  it('a leaf is never taken for an inner node (second-preimage)', () => {
    const hashes = leaves(4);
    const root = merkleRoot(hashes);
    // Leaf data made of two child hashes does not hash to their parent: the 0x00 and 0x01 prefixes differ.
    const forged = Buffer.concat([Buffer.from(hashes[0], 'hex'), Buffer.from(hashes[1], 'hex')]);
    expect(leafHash(forged)).not.toBe(merkleRoot(hashes.slice(0, 2)));
    expect(verifyInclusion(leafHash(forged), 0, 2, [merkleRoot(hashes.slice(2))], root)).toBe(false);
  });

  it('canonical JSON sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 'x' }], c: undefined } })).toBe('{"a":{"d":[2,{"e":"x","f":1}]},"b":1}');
  });
});
