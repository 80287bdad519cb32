import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { CertificateStatus } from '../check/certificate-index';

/**
 * A service's own copy of an enforcement certificate, fed by certificate events; the certificate check reads
 * it (through the in-memory directory), never the certificates service.
 */
@Entity({ name: 'known_certificates' })
@Index('ix_known_certificates_officer_id', ['officerId'])
@Index('ix_known_certificates_updated_at', ['updatedAt'])
export class KnownCertificateEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 64 })
  id: string;

  @Column({ name: 'number', type: 'varchar', length: 64 })
  number: string;

  @Column({ name: 'officer_id', type: 'varchar', length: 64 })
  officerId: string;

  @Column({ name: 'agency_id', type: 'varchar', length: 64 })
  agencyId: string;

  @Column({ name: 'status', type: 'varchar', length: 16 })
  status: CertificateStatus;

  @Column({ name: 'domains', type: 'simple-json' })
  domains: string[];

  @Column({ name: 'region_codes', type: 'simple-json' })
  regionCodes: string[];

  @Column({ name: 'valid_from', type: 'datetime', precision: 3 })
  validFrom: Date;

  /** Exclusive. */
  @Column({ name: 'valid_until', type: 'datetime', precision: 3 })
  validUntil: Date;

  /** When the event that set the current terms occurred; an older renewal replayed later does not undo them. */
  @Column({ name: 'terms_event_at', type: 'datetime', precision: 3 })
  termsEventAt: Date;

  /** When the event that set the current status occurred; see termsEventAt. */
  @Column({ name: 'status_event_at', type: 'datetime', precision: 3 })
  statusEventAt: Date;

  /** +1 on every change of the row: replicas keep the newer copy, and polling knows what it already has. */
  @Column({ name: 'version', type: 'int' })
  version: number;

  /** Set from the writer's clock on every change; replicas poll on it. */
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
