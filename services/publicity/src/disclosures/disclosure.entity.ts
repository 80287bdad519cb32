import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { PublishedDecision } from '../disclosure-core/disclosure';
import type { DecisionCategory } from '../disclosure-core/publication-deadline';
import type { Confidentiality } from '../disclosure-core/publication-eligibility';
import type { RedactionFinding } from '../disclosure-core/redaction';
import { SEARCH_TEXT_MAX_LENGTH } from '../disclosure-core/search-terms';

/**
 * Where a disclosure stands: waiting for its reviewer, public, withdrawn (Art. 48), past its publication period,
 * never to be published (a minor, a warning alone, a confidential case), or cancelled before it went out.
 */
export type DisclosureStatus = 'pending-review' | 'published' | 'withdrawn' | 'expired' | 'not-published' | 'cancelled';

const fen = { to: (value: number) => value, from: (value: string | number | null) => Number(value ?? 0) };

/** What recording sent, unredacted: internal, never in a public response or a log. */
export interface DisclosureOriginal {
  partyName: string;
  decisionText: string;
  facts: string;
  legalBasis: string;
  violation: string;
  otherPersons: string[];
  penalties: Array<{ kind: string; amountFen: number; description: string }>;
}

/** The redacted text the reviewer sees beside the original and approves. */
export interface DisclosureRedacted {
  partyName: string;
  decisionText: string;
  facts: string;
  legalBasis: string;
  violation: string;
}

/** One decision to publish (事后公开): its deadline, its redaction, its review, and its public life. */
@Entity({ name: 'disclosures' })
@Index('uq_disclosures_case_decision', ['caseId', 'decisionNumber', 'revision'], { unique: true })
@Index('uq_disclosures_replaces', ['replacesId'], { unique: true })
@Index('ix_disclosures_status_due', ['status', 'dueAt'])
@Index('ix_disclosures_public', ['status', 'publishedAt', 'id'])
@Index('ix_disclosures_agency_status', ['agencyId', 'status', 'decidedAt'])
@Index('ix_disclosures_published_at', ['publishedAt', 'id'])
export class DisclosureEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'case_id', type: 'varchar', length: 36 })
  caseId: string;

  @Column({ name: 'agency_id', type: 'varchar', length: 36 })
  agencyId: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode: string;

  @Column({ name: 'domain', type: 'varchar', length: 64 })
  domain: string;

  @Column({ name: 'case_number', type: 'varchar', length: 100 })
  caseNumber: string;

  @Column({ name: 'decision_number', type: 'varchar', length: 100 })
  decisionNumber: string;

  @Column({ name: 'category', type: 'varchar', length: 16 })
  category: DecisionCategory;

  @Column({ name: 'status', type: 'varchar', length: 16 })
  status: DisclosureStatus;

  /** Why it is never published (PARTY_IS_MINOR, WARNING_ONLY, NO_PENALTY, CASE_CONFIDENTIAL). */
  @Column({ name: 'not_published_code', type: 'varchar', length: 32, nullable: true })
  notPublishedCode: string | null;

  @Column({ name: 'confidentiality', type: 'varchar', length: 24 })
  confidentiality: Confidentiality;

  @Column({ name: 'party_kind', type: 'varchar', length: 16 })
  partyKind: 'natural-person' | 'organisation';

  /** An organisation's unified social credit code (public, 双公示); null for a person. */
  @Column({ name: 'party_credit_code', type: 'varchar', length: 18, nullable: true })
  partyCreditCode: string | null;

  /** Comma-separated penalty kinds, for the penalty-kind filter. */
  @Column({ name: 'penalty_kinds', type: 'varchar', length: 200 })
  penaltyKinds: string;

  @Column({ name: 'fine_fen', type: 'bigint', transformer: fen })
  fineFen: number;

  @Column({ name: 'confiscation_fen', type: 'bigint', transformer: fen })
  confiscationFen: number;

  @Column({ name: 'decided_at', type: 'datetime', precision: 3 })
  decidedAt: Date;

  /** The first instant past the publication deadline (7 or 20 working days). */
  @Column({ name: 'due_at', type: 'datetime', precision: 3 })
  dueAt: Date;

  /** 'weekdays-only' when a year of the deadline had no holiday data. */
  @Column({ name: 'due_coverage', type: 'varchar', length: 16 })
  dueCoverage: string;

  @Column({ name: 'overdue_announced_at', type: 'datetime', precision: 3, nullable: true })
  overdueAnnouncedAt: Date | null;

  /**
   * What recording sent (DisclosureOriginal as JSON), encrypted with the service's field key (AES-256-GCM): it holds
   * the ID numbers, phones and addresses redaction removes. Only the review endpoints decrypt it.
   */
  @Column({ name: 'original', type: 'text' })
  originalSealed: string;

  @Column({ name: 'redacted', type: 'simple-json' })
  redacted: DisclosureRedacted;

  /** Where and why text was removed (never what). */
  @Column({ name: 'findings', type: 'simple-json' })
  findings: Record<keyof DisclosureRedacted, RedactionFinding[]>;

  /** Hash of the decision record in the case's chain. */
  @Column({ name: 'chain_head', type: 'varchar', length: 64 })
  chainHead: string;

  @Column({ name: 'reviewed_by', type: 'varchar', length: 64, nullable: true })
  reviewedBy: string | null;

  @Column({ name: 'published_at', type: 'datetime', precision: 3, nullable: true })
  publishedAt: Date | null;

  @Column({ name: 'public_until', type: 'datetime', precision: 3, nullable: true })
  publicUntil: Date | null;

  /** The record as published (the 双公示 fields), served as it is: its digest is below. */
  @Column({ name: 'published', type: 'simple-json', nullable: true })
  published: PublishedDecision | null;

  /** SHA-256 of the canonical JSON of what was published: the leaf content of the day's Merkle tree. */
  @Column({ name: 'content_digest', type: 'varchar', length: 64, nullable: true })
  contentDigest: string | null;

  @Column({ name: 'altered_at', type: 'datetime', precision: 3, nullable: true })
  alteredAt: Date | null;

  @Column({ name: 'withdrawal_due_at', type: 'datetime', precision: 3, nullable: true })
  withdrawalDueAt: Date | null;

  @Column({ name: 'withdrawn_at', type: 'datetime', precision: 3, nullable: true })
  withdrawnAt: Date | null;

  /** The reason shown in the decision's place (Art. 48), redacted. */
  @Column({ name: 'withdrawal_reason', type: 'varchar', length: 2000, nullable: true })
  withdrawalReason: string | null;

  /** 0 for a decision as issued; one more for each change published in its place (Art. 48). */
  @Column({ name: 'revision', type: 'int', default: 0 })
  revision: number;

  /** The withdrawn disclosure of the decision this one is the change of. */
  @Column({ name: 'replaces_id', type: 'varchar', length: 36, nullable: true })
  replacesId: string | null;

  /** The change published in this one's place, once it is public: the portal links the two. */
  @Column({ name: 'replaced_by_id', type: 'varchar', length: 36, nullable: true })
  replacedById: string | null;

  /** The searchable text of a public decision, normalized (search-terms.ts); empty until published. */
  @Column({ name: 'search_text', type: 'varchar', length: SEARCH_TEXT_MAX_LENGTH, default: '' })
  searchText: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
