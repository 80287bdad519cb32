import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Only the holder of the lease relays, so replicas of a service never interleave one key's events. */
@Entity({ name: 'relay_leases' })
export class RelayLeaseEntity {
  @PrimaryColumn({ name: 'name', type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'owner', type: 'varchar', length: 100 })
  owner: string;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;
}
