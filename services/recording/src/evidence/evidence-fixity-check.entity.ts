import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One re-hash of a stored original by the fixity sweep: ok, or the digest found instead of the sealed one (none
 * when the object could not be read). Appended, never changed; failures are listed for supervisors.
 */
@Entity({ name: 'evidence_fixity_checks' })
@Index('ix_evidence_fixity_checks_evidence', ['evidenceId', 'checkedAt'])
@Index('ix_evidence_fixity_checks_failures', ['ok', 'checkedAt', 'id'])
@Index('ix_evidence_fixity_checks_region', ['regionCode', 'checkedAt'])
export class EvidenceFixityCheckEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'evidence_id', type: 'varchar', length: 36 })
  evidenceId: string;

  @Column({ name: 'case_id', type: 'varchar', length: 36 })
  caseId: string;

  /** The case's agency and division at the check, for supervisors' scope. */
  @Column({ name: 'agency_id', type: 'varchar', length: 36 })
  agencyId: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode: string;

  @Column({ name: 'checked_at', type: 'datetime', precision: 3 })
  checkedAt: Date;

  @Column({ name: 'ok', type: 'boolean' })
  ok: boolean;

  @Column({ name: 'expected_sha256', type: 'varchar', length: 64 })
  expectedSha256: string;

  @Column({ name: 'found_sha256', type: 'varchar', length: 64, nullable: true })
  foundSha256: string | null;

  /** Why nothing was found: the storage's error code (e.g. OBJECT_NOT_FOUND). */
  @Column({ name: 'detail', type: 'varchar', length: 200, nullable: true })
  detail: string | null;
}
