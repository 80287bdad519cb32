import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { CertificateRefusalCode } from '../check/certificate-refusal-code';

/** An officer action the certificate check refused, kept for supervisors (执法监督). */
@Entity({ name: 'certificate_refusals' })
@Index('ix_certificate_refusals_occurred_at', ['occurredAt', 'id'])
@Index('ix_certificate_refusals_agency_id', ['agencyId', 'occurredAt'])
@Index('ix_certificate_refusals_region_code', ['regionCode', 'occurredAt'])
export class CertificateRefusalEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 })
  occurredAt: Date;

  /** The caller. */
  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  /** The caller's agency; empty for platform-wide users. */
  @Column({ name: 'agency_id', type: 'varchar', length: 64 })
  agencyId: string;

  /** The officer whose certificate was refused; null when the team was (TOO_FEW_OFFICERS). */
  @Column({ name: 'officer_id', type: 'varchar', length: 64, nullable: true })
  officerId: string | null;

  /** Every acting officer, the caller first. */
  @Column({ name: 'officer_ids', type: 'simple-json' })
  officerIds: string[];

  @Column({ name: 'code', type: 'varchar', length: 40 })
  code: CertificateRefusalCode;

  /** Method and path template, e.g. 'POST /cases/:caseId/steps'. */
  @Column({ name: 'route', type: 'varchar', length: 300 })
  route: string;

  @Column({ name: 'domain', type: 'varchar', length: 100 })
  domain: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode: string;

  @Column({ name: 'on_site', type: 'boolean' })
  onSite: boolean;
}
