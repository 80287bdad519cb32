import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A co-officer's token spent as proof of presence on one action. Kept until the token expires, so the same
 * token cannot confirm a second action (a proof captured once is not a pass for ever).
 */
@Entity({ name: 'co_officer_proofs' })
@Index('ix_co_officer_proofs_expires_at', ['expiresAt'])
export class CoOfficerProofEntity {
  /** SHA-256 (hex) of the token's `jti` (one issuer per service): fixed length whatever the issuer's ids look like. */
  @PrimaryColumn({ name: 'token_key', type: 'varchar', length: 64 })
  tokenKey: string;

  @Column({ name: 'officer_id', type: 'varchar', length: 64 })
  officerId: string;

  /** The officer who named them. */
  @Column({ name: 'caller_id', type: 'varchar', length: 64 })
  callerId: string;

  /** Method and path template of the action confirmed. */
  @Column({ name: 'route', type: 'varchar', length: 300 })
  route: string;

  @Column({ name: 'used_at', type: 'datetime', precision: 3 })
  usedAt: Date;

  /** When the token expires; after that it is refused anyway and the row can go. */
  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;
}
