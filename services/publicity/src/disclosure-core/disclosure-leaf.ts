import { canonicalJson } from '@enforcement/canonical-json';
import { inclusionProof, leafHash, sha256Hex, verifyInclusion, type Hex } from './merkle';

/**
 * One leaf of a day's tree: a publication (the digest of the record as published) or a withdrawal (with its public
 * reason), each with the chain head of the case record it comes from, so the published root also fixes which
 * recorded decision each disclosure rests on.
 */
export interface DisclosureLeaf {
  type: 'published' | 'withdrawn';
  disclosureId: string;
  caseId: string;
  at: string;
  contentDigest: string;
  chainHead: string;
  withdrawalReason?: string;
}

/** The leaves of a day in tree order: by time, then type, then disclosure id. */
export function orderLeaves(leaves: DisclosureLeaf[]): DisclosureLeaf[] {
  return [...leaves].sort((a, b) =>
    a.at !== b.at ? (a.at < b.at ? -1 : 1) : a.type !== b.type ? (a.type < b.type ? -1 : 1) : a.disclosureId < b.disclosureId ? -1 : 1,
  );
}

/** What the proof endpoint serves for one leaf, and what the offline verifier reads. */
export interface LeafProof {
  day: string;
  index: number;
  size: number;
  /** The leaf's canonical JSON, as hashed. */
  leaf: string;
  leafHash: Hex;
  proof: Hex[];
  root: Hex;
}

export function proofFor(day: string, leaves: readonly string[], index: number): LeafProof {
  const hashes = leaves.map((leaf) => leafHash(leaf));
  return { day, index, size: leaves.length, leaf: leaves[index], leafHash: hashes[index], proof: inclusionProof(hashes, index), root: '' };
}

export interface VerificationResult {
  ok: boolean;
  problems: string[];
}

/**
 * Offline: a disclosure (its published record, or its withdrawal reason) against a proof and the root published for
 * that day. Everything is recomputed from the bytes given; nothing is trusted from the proof but the sibling hashes.
 */
export function verifyDisclosure(
  disclosure: { id: string; record?: unknown; withdrawalReason?: string | null },
  proof: LeafProof,
  publishedRoot: Hex,
): VerificationResult {
  const problems: string[] = [];
  let leaf: DisclosureLeaf;
  try {
    leaf = JSON.parse(proof.leaf) as DisclosureLeaf;
  } catch {
    return { ok: false, problems: ['the proof’s leaf is not JSON'] };
  }
  if (canonicalJson(leaf) !== proof.leaf) problems.push('the leaf is not in canonical form');
  if (leaf.disclosureId !== disclosure.id) problems.push(`the leaf is about disclosure ${leaf.disclosureId}, not ${disclosure.id}`);
  if (leaf.type === 'published') {
    if (disclosure.record === undefined) problems.push('a publication leaf needs the published record');
    else if (sha256Hex(canonicalJson(disclosure.record)) !== leaf.contentDigest)
      problems.push('the published record differs from what was published that day');
  } else if ((disclosure.withdrawalReason ?? '') !== (leaf.withdrawalReason ?? '')) {
    problems.push('the withdrawal reason differs from what was published that day');
  }
  const hash = leafHash(proof.leaf);
  if (!verifyInclusion(hash, proof.index, proof.size, proof.proof, publishedRoot))
    problems.push(`the leaf is not in the tree whose root is ${publishedRoot}`);
  return { ok: problems.length === 0, problems };
}
