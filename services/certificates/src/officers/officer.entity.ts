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

  /**
   * Resident ID number, encrypted (`enc:v1:`, context `officers.id_number:<id>`, see officer-id-number.ts): kept
   * to tell people apart, never published, logged or sent in events, and never read unless asked for.
   */
  @Column({ name: 'id_number_encrypted', type: 'varchar', length: 255, select: false })
  idNumberEncrypted?: string;

  /** Blind index of the ID number (HMAC-SHA256 under the current key): unique, for duplicates and look-ups. */
  @Column({ name: 'id_number_index', type: 'varchar', length: 64, unique: true, select: false })
  idNumberIndex?: string;

  @Column({ name: 'roles', type: 'simple-json' })
  roles: Role[];

  @Column({ name: 'supervised_region_code', type: 'varchar', length: 12, nullable: true })
  supervisedRegionCode: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
