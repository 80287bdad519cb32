import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An agency's own lengths of statutory periods where the law leaves them to it (Art. 60: the decision period's extension). */
@Entity({ name: 'agency_deadline_settings' })
export class AgencyDeadlineSettingsEntity {
  @PrimaryColumn({ name: 'agency_id', type: 'varchar', length: 36 })
  agencyId: string;

  /** Days the agency head's approval adds to the decision period (default 30, DEFAULT_DECISION_EXTENSION_DAYS). */
  @Column({ name: 'decision_extension_days', type: 'int' })
  decisionExtensionDays: number;

  @Column({ name: 'updated_by', type: 'varchar', length: 64 })
  updatedBy: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
