import type { Role } from '@enforcement/auth';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A service's own copy of an officer (行政执法人员), fed by officer events. */
@Entity({ name: 'known_officers' })
@Index('ix_known_officers_agency_id', ['agencyId'])
export class KnownOfficerEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 64 })
  id: string;

  @Column({ name: 'agency_id', type: 'varchar', length: 64 })
  agencyId: string;

  @Column({ name: 'name', type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'roles', type: 'simple-json' })
  roles: Role[];

  /** For supervisors: the division whose cases they may read. */
  @Column({ name: 'supervised_region_code', type: 'varchar', length: 12, nullable: true })
  supervisedRegionCode: string | null;

  /** When the event that set the current roles occurred; an older event replayed later does not undo them. */
  @Column({ name: 'roles_event_at', type: 'datetime', precision: 3 })
  rolesEventAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
