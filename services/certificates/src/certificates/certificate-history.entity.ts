import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { CertificateAction, CertificateStatus } from './certificate-lifecycle';

/** Every change of a certificate, with who made it and why; never updated or deleted. */
@Entity({ name: 'certificate_history' })
@Index('ix_certificate_history_certificate', ['certificateId', 'id'])
export class CertificateHistoryEntity {
  @PrimaryGeneratedColumn({ name: 'id', type: 'bigint' })
  id: string;

  @Column({ name: 'certificate_id', type: 'varchar', length: 36 })
  certificateId: string;

  @Column({ name: 'action', type: 'varchar', length: 16 })
  action: CertificateAction;

  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true })
  fromStatus: CertificateStatus | null;

  @Column({ name: 'to_status', type: 'varchar', length: 16 })
  toStatus: CertificateStatus;

  @Column({ name: 'reason', type: 'text' })
  reason: string;

  /** Empty for the scheduled expiry job. */
  @Column({ name: 'actor_user_id', type: 'varchar', length: 36 })
  actorUserId: string;

  /** Terms after the change, for issue and renew. */
  @Column({ name: 'terms', type: 'simple-json', nullable: true })
  terms: Record<string, unknown> | null;

  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 })
  occurredAt: Date;
}
