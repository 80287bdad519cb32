import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per lease of the service: the outbox relay's (named after the service) and each singleton job's
 * ('job:<name>'). Only the owner acts until expires_at, which is on the database's clock.
 */
@Entity({ name: 'leases' })
export class LeaseEntity {
  @PrimaryColumn({ name: 'name', type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'owner', type: 'varchar', length: 100 })
  owner: string;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;
}
