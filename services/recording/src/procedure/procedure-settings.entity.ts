import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An agency's procedure data (case-core/procedure-settings.ts): Art. 63 large amounts per party kind, the party's
 * statement period and the late-entry limits (steps, footage). A null column takes the platform default.
 */
@Entity({ name: 'agency_procedure_settings' })
export class AgencyProcedureSettingsEntity {
  @PrimaryColumn({ name: 'agency_id', type: 'varchar', length: 36 })
  agencyId: string;

  /** bigint columns: a string on MySQL, a number on SQLite; read them with Number(). */
  @Column({ name: 'large_fine_fen_natural_person', type: 'bigint', nullable: true })
  largeFineFenNaturalPerson: string | number | null;

  @Column({ name: 'large_fine_fen_organisation', type: 'bigint', nullable: true })
  largeFineFenOrganisation: string | number | null;

  @Column({ name: 'large_confiscation_fen_natural_person', type: 'bigint', nullable: true })
  largeConfiscationFenNaturalPerson: string | number | null;

  @Column({ name: 'large_confiscation_fen_organisation', type: 'bigint', nullable: true })
  largeConfiscationFenOrganisation: string | number | null;

  @Column({ name: 'statement_period_working_days', type: 'int', nullable: true })
  statementPeriodWorkingDays: number | null;

  @Column({ name: 'late_entry_limit_minutes', type: 'int', nullable: true })
  lateEntryLimitMinutes: number | null;

  @Column({ name: 'footage_upload_limit_minutes', type: 'int', nullable: true })
  footageUploadLimitMinutes: number | null;

  /** Where the large amounts came from: an administrator (`admin:<user id>`) or a catalog version (`catalog:v<n>`). */
  @Column({ name: 'source', type: 'varchar', length: 100 })
  source: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
