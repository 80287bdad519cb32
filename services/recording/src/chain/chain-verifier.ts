import { caseStatusOf, type CaseStatusFacts } from '../case-core/case-status';
import type { PartyKind } from '../case-core/case.types';
import { GENESIS_HASH, recordHash, type ChainedContent } from '../case-core/hash-chain';

/** Why a chain is not intact, for the first link found broken. */
export type BrokenLinkReason =
  | 'sequence-gap'
  | 'previous-hash-mismatch'
  | 'content-hash-mismatch'
  | 'chain-head-mismatch'
  | 'evidence-digest-mismatch'
  | 'evidence-missing'
  | 'evidence-not-in-chain'
  | 'case-state-mismatch';

/**
 * The first broken link. `expected` is what the chain itself says (the previous record's hash, the stored
 * hash, the digest a sealing record fixed), `actual` what was found in the thing checked.
 */
export interface BrokenLink {
  reason: BrokenLinkReason;
  sequence?: number;
  recordId?: string;
  evidenceId?: string;
  expected?: string;
  actual?: string;
  /** A plain-English precision for people reading the report (e.g. "record count"). */
  detail?: string;
}

export interface ChainVerificationReport {
  intact: boolean;
  /** Records walked (all of them when intact). */
  records: number;
  /** Evidence items of the case. */
  evidence: number;
  /** Evidence items whose bytes were not available to re-hash by design (an archive made without them). */
  evidenceNotIncluded: number;
  firstBroken?: BrokenLink;
  /** ISO 8601, UTC. */
  verifiedAt: string;
}

/** The case row's view of its chain. */
export interface ChainCaseSummary {
  id: string;
  recordCount: number;
  chainHead: string;
  /**
   * The case row's status columns and whether its state seal holds (cases/case-state-seal.ts), for a live case: the
   * status is recomputed from the records and compared, so a column edited behind the service's back is reported.
   * Absent for an offline archive, whose case file the chain covers otherwise.
   */
  state?: CaseStatusFacts & { partyKind: PartyKind; sealed: boolean };
}

/** A record as the verifier sees it: the content its hash covers, and the hash stored with it. */
export interface ReadableChainRecord {
  id: string;
  hash: string;
  content: ChainedContent;
}

/** A stored record whose content can no longer even be read back (a column edited into garbage). */
export interface UnreadableChainRecord {
  id: string;
  hash: string;
  sequence: number;
  /** What could not be read, for the report. */
  unreadable: string;
}

export type ChainRecord = ReadableChainRecord | UnreadableChainRecord;

/** Only readable records reach the evidence checks (an unreadable one has already broken the chain). */
function readable(records: readonly ChainRecord[]): ReadableChainRecord[] {
  return records.filter((record): record is ReadableChainRecord => !('unreadable' in record));
}

function sequenceOf(record: ChainRecord): number {
  return 'unreadable' in record ? record.sequence : record.content.sequence;
}

/** What the verifier needs of an evidence item: its claimed digest and the record that sealed it. */
export interface ChainEvidenceItem {
  id: string;
  sha256: string;
  sealRecordId: string;
}

/**
 * Re-hashes an evidence object's stored bytes (streaming), or says the object is gone. 'not-included'
 * is for offline archives made without the evidence bytes: the chain is still checked, the bytes are not.
 */
export type EvidenceDigestSource<Item extends ChainEvidenceItem = ChainEvidenceItem> = (
  item: Item,
) => Promise<string | 'missing' | 'not-included'>;

export interface ChainVerificationInput<Item extends ChainEvidenceItem = ChainEvidenceItem> {
  caseSummary: ChainCaseSummary;
  /** Ordered by sequence, as stored. The verifier does not sort: a reordered listing is itself a break. */
  records: readonly ChainRecord[];
  evidence: readonly Item[];
  digestOf: EvidenceDigestSource<Item>;
}

/**
 * Recomputes a case's hash chain and re-hashes its evidence, stopping at the first broken link.
 *
 * Records are walked in chain order and, for each, checked for its place (sequence), its link to the
 * previous record and its own content, so the break reported is the earliest in the case's history; a
 * forger who rewrites a record and re-hashes it moves the break to the next record's link, and one who
 * rewrites the whole tail moves it to the case row's chain head. Evidence comes last because re-hashing
 * objects is by far the slowest step and pointless once the chain that fixes their digests is broken.
 */
export class ChainVerifier {
  constructor(private readonly now: () => Date = () => new Date()) {}

  async verify<Item extends ChainEvidenceItem>(input: ChainVerificationInput<Item>): Promise<ChainVerificationReport> {
    const { caseSummary, records, evidence } = input;
    const report = (firstBroken: BrokenLink | undefined, walked: number, notIncluded = 0): ChainVerificationReport => ({
      intact: firstBroken === undefined,
      records: walked,
      evidence: evidence.length,
      evidenceNotIncluded: notIncluded,
      ...(firstBroken ? { firstBroken } : {}),
      verifiedAt: this.now().toISOString(),
    });

    const recordBreak = this.walkRecords(caseSummary, records);
    if (recordBreak) return report(recordBreak.link, recordBreak.walked);

    const headBreak = this.checkHead(caseSummary, records);
    if (headBreak) return report(headBreak, records.length);

    const stateBreak = this.checkState(caseSummary, records);
    if (stateBreak) return report(stateBreak, records.length);

    // Cheap checks against the chain first, for every item; re-hashing the objects is the slow part.
    const sealedDigests = this.sealedDigests(records);
    const sealed = new Map<string, { item: Item; sha256: string; sequence: number }>();
    for (const item of evidence) {
      const fixed = sealedDigests.get(`${item.sealRecordId}\n${item.id}`);
      if (!fixed) {
        return report({ reason: 'evidence-not-in-chain', evidenceId: item.id, recordId: item.sealRecordId }, records.length);
      }
      if (item.sha256 !== fixed.sha256) {
        return report(
          {
            reason: 'evidence-digest-mismatch',
            evidenceId: item.id,
            sequence: fixed.sequence,
            recordId: item.sealRecordId,
            expected: fixed.sha256,
            actual: item.sha256,
            detail: 'evidence row digest',
          },
          records.length,
        );
      }
      sealed.set(item.id, { item, ...fixed });
    }
    // Evidence the chain names must still exist: deleting an item's row is tampering too.
    for (const record of readable(records)) {
      for (const reference of record.content.evidence) {
        if (!sealed.has(reference.evidenceId)) {
          return report(
            {
              reason: 'evidence-missing',
              evidenceId: reference.evidenceId,
              sequence: record.content.sequence,
              recordId: record.id,
              expected: reference.sha256,
              detail: 'evidence item named in the chain',
            },
            records.length,
          );
        }
      }
    }

    let notIncluded = 0;
    for (const { item, ...fixed } of sealed.values()) {
      const where = { evidenceId: item.id, sequence: fixed.sequence, recordId: item.sealRecordId };
      const digest = await input.digestOf(item);
      if (digest === 'not-included') {
        notIncluded += 1;
        continue;
      }
      if (digest === 'missing')
        return report({ reason: 'evidence-missing', ...where, detail: 'stored object' }, records.length, notIncluded);
      if (digest !== fixed.sha256) {
        return report(
          { reason: 'evidence-digest-mismatch', ...where, expected: fixed.sha256, actual: digest, detail: 'stored object' },
          records.length,
          notIncluded,
        );
      }
    }
    return report(undefined, records.length, notIncluded);
  }

  private walkRecords(caseSummary: ChainCaseSummary, records: readonly ChainRecord[]): { link: BrokenLink; walked: number } | undefined {
    let previousHash = GENESIS_HASH;
    for (const [index, record] of records.entries()) {
      const sequence = sequenceOf(record);
      const where = { sequence, recordId: record.id };
      const walked = index + 1;
      if (sequence !== index + 1) {
        return { link: { reason: 'sequence-gap', ...where, expected: String(index + 1), actual: String(sequence) }, walked };
      }
      if ('unreadable' in record) {
        return { link: { reason: 'content-hash-mismatch', ...where, expected: record.hash, detail: record.unreadable }, walked };
      }
      const { content } = record;
      // A record carried over from another case would hash correctly on its own; it still is not this case's.
      if (content.caseId !== caseSummary.id) {
        return {
          link: { reason: 'content-hash-mismatch', ...where, expected: caseSummary.id, actual: content.caseId, detail: 'case id' },
          walked,
        };
      }
      if (content.previousHash !== previousHash) {
        return { link: { reason: 'previous-hash-mismatch', ...where, expected: previousHash, actual: content.previousHash }, walked };
      }
      const recomputed = recordHash(content);
      if (recomputed !== record.hash) {
        return { link: { reason: 'content-hash-mismatch', ...where, expected: record.hash, actual: recomputed }, walked };
      }
      previousHash = record.hash;
    }
    return undefined;
  }

  private checkHead(caseSummary: ChainCaseSummary, records: readonly ChainRecord[]): BrokenLink | undefined {
    const last = records.at(-1);
    if (caseSummary.recordCount !== records.length) {
      // Records missing at the end (or extra ones the case row never counted) leave every link intact.
      return {
        reason: 'chain-head-mismatch',
        ...(last ? { sequence: sequenceOf(last), recordId: last.id } : {}),
        expected: String(records.length),
        actual: String(caseSummary.recordCount),
        detail: 'record count',
      };
    }
    const head = last?.hash ?? GENESIS_HASH;
    if (caseSummary.chainHead !== head) {
      return {
        reason: 'chain-head-mismatch',
        ...(last ? { sequence: sequenceOf(last), recordId: last.id } : {}),
        expected: head,
        actual: caseSummary.chainHead,
        detail: 'chain head',
      };
    }
    return undefined;
  }

  /**
   * The case row's status, legal-review status and closing time against what its records say (caseStatusOf), then its
   * seal, which covers the rest of what the gates read (the procedure state, the flags): the first that disagrees.
   */
  private checkState(caseSummary: ChainCaseSummary, records: readonly ChainRecord[]): BrokenLink | undefined {
    const { state } = caseSummary;
    if (!state) return undefined;
    const derived = caseStatusOf(
      readable(records).map(({ content }) => content),
      state.partyKind,
    );
    const columns: Array<[keyof CaseStatusFacts, string]> = [
      ['status', 'status'],
      ['legalReviewStatus', 'legal-review status'],
      ['closedAt', 'closed at'],
    ];
    for (const [key, detail] of columns) {
      if (derived[key] !== state[key]) {
        return { reason: 'case-state-mismatch', expected: String(derived[key]), actual: String(state[key]), detail };
      }
    }
    return state.sealed ? undefined : { reason: 'case-state-mismatch', detail: 'state seal' };
  }

  /** `sealRecordId\nevidenceId` → the digest that record fixed, and the record's sequence. */
  private sealedDigests(records: readonly ChainRecord[]): Map<string, { sha256: string; sequence: number }> {
    const digests = new Map<string, { sha256: string; sequence: number }>();
    for (const record of readable(records)) {
      for (const reference of record.content.evidence) {
        digests.set(`${record.id}\n${reference.evidenceId}`, { sha256: reference.sha256, sequence: record.content.sequence });
      }
    }
    return digests;
  }
}
