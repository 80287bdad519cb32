import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { CertificateStatus } from './certificate-lifecycle';

/** An enforcement certificate (行政执法证件). */
@Entity({ name: 'certificates' })
@Index('ix_certificates_officer', ['officerId'])
@Index('ix_certificates_status_valid_until', ['status', 'validUntilAt'])
export class CertificateEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'number', type: 'varchar', length: 64, unique: true })
  number: string;

  @Column({ name: 'officer_id', type: 'varchar', length: 36 })
  officerId: string;

  @Column({ name: 'agency_id', type: 'varchar', length: 36 })
  agencyId: string;

  @Column({ name: 'issuing_authority', type: 'varchar', length: 200 })
  issuingAuthority: string;

  @Column({ name: 'domains', type: 'simple-json' })
  domains: string[];

  @Column({ name: 'region_codes', type: 'simple-json' })
  regionCodes: string[];

  /** Printed first and last valid days (YYYY-MM-DD, China Standard Time). */
  @Column({ name: 'valid_from', type: 'varchar', length: 10 })
  validFrom: string;

  @Column({ name: 'valid_until', type: 'varchar', length: 10 })
  validUntil: string;

  /** Exclusive end of validity: 00:00 Asia/Shanghai after the last valid day; the expiry job's index. */
  @Column({ name: 'valid_until_at', type: 'datetime', precision: 3 })
  validUntilAt: Date;

  @Column({ name: 'status', type: 'varchar', length: 16 })
  status: CertificateStatus;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
