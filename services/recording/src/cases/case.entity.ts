import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { CaseStatus, LegalReviewStatus, Procedure } from '../case-core/case.types';
import type { ProcedureState } from '../case-core/procedure-state';

export type { CaseStatus, LegalReviewStatus, Procedure };

/** A case (案件) from its opening (立案) to its closing (结案). */
@Entity({ name: 'cases' })
@Index('ix_cases_agency_opened', ['agencyId', 'openedAt'])
@Index('ix_cases_region', ['regionCode'])
@Index('uq_cases_agency_case_number', ['agencyId', 'caseNumber'], { unique: true })
export class CaseEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'agency_id', type: 'varchar', length: 36 })
  agencyId: string;

  /** Unique within the agency (uq_cases_agency_case_number): agencies' patterns may give the same text. */
  @Column({ name: 'case_number', type: 'varchar', length: 64 })
  caseNumber: string;

  @Column({ name: 'domain', type: 'varchar', length: 64 })
  domain: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode: string;

  @Column({ name: 'procedure', type: 'varchar', length: 16 })
  procedure: Procedure;

  @Column({ name: 'status', type: 'varchar', length: 16 })
  status: CaseStatus;

  @Column({ name: 'alleged_violation', type: 'text' })
  allegedViolation: string;

  @Column({ name: 'legal_basis', type: 'text' })
  legalBasis: string;

  /** At least two (Administrative Penalty Law Art. 42). */
  @Column({ name: 'handling_officer_ids', type: 'simple-json' })
  handlingOfficerIds: string[];

  /** Complex cases or serious violations need a collective decision of the leadership (Art. 57). */
  @Column({ name: 'requires_collective_decision', type: 'boolean', default: false })
  requiresCollectiveDecision: boolean;

  @Column({ name: 'legal_review_status', type: 'varchar', length: 16 })
  legalReviewStatus: LegalReviewStatus;

  @Column({ name: 'opened_at', type: 'datetime', precision: 3 })
  openedAt: Date;

  @Column({ name: 'opened_by', type: 'varchar', length: 36 })
  openedBy: string;

  @Column({ name: 'closed_at', type: 'datetime', precision: 3, nullable: true })
  closedAt: Date | null;

  /** Number of records in the case's hash chain, and the hash of the last one. */
  @Column({ name: 'record_count', type: 'int', default: 0 })
  recordCount: number;

  @Column({ name: 'chain_head', type: 'varchar', length: 64 })
  chainHead: string;

  /** What the procedure rules need of the record so far (case-core/procedure-state.ts), moved with the chain head. */
  @Column({ name: 'procedure_state', type: 'simple-json', nullable: true })
  procedureState?: ProcedureState | null;

  /**
   * The HMAC of the row's gate-relevant columns bound to its chain (cases/case-state-seal.ts): a column edited behind
   * the service's back no longer matches it. Null only on a row written before seals existed.
   */
  @Column({ name: 'state_seal', type: 'varchar', length: 64, nullable: true })
  stateSeal?: string | null;

  /**
   * The trace the case's work continues (the opening request's span). Written and read only by CaseRepository's
   * own statements, never with the row: the case's state does not carry it, and the API does not show it.
   */
  @Column({ name: 'trace_parent', type: 'varchar', length: 55, nullable: true, select: false, insert: false })
  traceParent?: string | null;
}
