import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The national legal professional qualification (法律职业资格) an officer holds. Staff doing legal review
 * for the first time must hold it (Administrative Penalty Law Art. 58).
 */
@Entity({ name: 'review_qualifications' })
export class ReviewQualificationEntity {
  @PrimaryColumn({ name: 'officer_id', type: 'varchar', length: 36 })
  officerId: string;

  @Column({ name: 'qualification_number', type: 'varchar', length: 64 })
  qualificationNumber: string;

  /** YYYY-MM-DD */
  @Column({ name: 'qualified_on', type: 'varchar', length: 10 })
  qualifiedOn: string;

  @Column({ name: 'granted_at', type: 'datetime', precision: 3 })
  grantedAt: Date;

  @Column({ name: 'withdrawn_at', type: 'datetime', precision: 3, nullable: true })
  withdrawnAt: Date | null;

  @Column({ name: 'withdrawal_reason', type: 'text', nullable: true })
  withdrawalReason: string | null;
}
