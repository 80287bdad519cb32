import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An agency's case number pattern (case-core/case-number.ts); an agency without a row uses the default. */
@Entity({ name: 'agency_case_number_formats' })
export class CaseNumberFormatEntity {
  @PrimaryColumn({ name: 'agency_id', type: 'varchar', length: 36 })
  agencyId: string;

  @Column({ name: 'template', type: 'varchar', length: 64 })
  template: string;

  @Column({ name: 'updated_by', type: 'varchar', length: 64 })
  updatedBy: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
