import type { Role } from '@enforcement/auth';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An enforcement officer (行政执法人员) and the platform roles the agency gave them. */
@Entity({ name: 'officers' })
@Index('ix_officers_agency', ['agencyId'])
export class OfficerEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'agency_id', type: 'varchar', length: 36 })
  agencyId: string;

  @Column({ name: 'name', type: 'varchar', length: 100 })
  name: string;

  /** Resident ID number: stored to tell people apart, never published, logged or sent in events. */
  @Column({ name: 'id_number', type: 'varchar', length: 18, unique: true, select: false })
  idNumber?: string;

  @Column({ name: 'roles', type: 'simple-json' })
  roles: Role[];

  @Column({ name: 'supervised_region_code', type: 'varchar', length: 12, nullable: true })
  supervisedRegionCode: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
