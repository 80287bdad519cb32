import { Column, Entity, PrimaryColumn } from 'typeorm';

const fen = { to: (value: number) => value, from: (value: string | number) => Number(value) };

/**
 * An agency's publication periods (how long a decision stays on the portal) and what counts as a small fine
 * (较低数额罚款): data per agency, as each province sets them; the platform's defaults apply without a row.
 */
@Entity({ name: 'agency_publicity_settings' })
export class AgencyPublicitySettingsEntity {
  @PrimaryColumn({ name: 'agency_id', type: 'varchar', length: 36 })
  agencyId: string;

  @Column({ name: 'short_months', type: 'int' })
  shortMonths: number;

  @Column({ name: 'long_months', type: 'int' })
  longMonths: number;

  @Column({ name: 'small_fine_person_fen', type: 'bigint', transformer: fen })
  smallFinePersonFen: number;

  @Column({ name: 'small_fine_organisation_fen', type: 'bigint', transformer: fen })
  smallFineOrganisationFen: number;

  @Column({ name: 'updated_by', type: 'varchar', length: 64 })
  updatedBy: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
