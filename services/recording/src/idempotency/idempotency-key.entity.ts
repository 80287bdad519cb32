import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A request an officer sent with an Idempotency-Key, kept with the result it created (in the same transaction), so
 * that the same request sent again (an answer lost on a field network, a client's retry) is answered with that
 * result instead of being applied twice. Only the result's id is kept, not its body: the answer is read again.
 */
@Entity({ name: 'idempotency_keys' })
@Index('ix_idempotency_keys_expires_at', ['expiresAt'])
export class IdempotencyKeyEntity {
  /** SHA-256 (hex) of the caller and their key: a key is the caller's own, and any length the header allows fits. */
  @PrimaryColumn({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash: string;

  @Column({ name: 'caller_id', type: 'varchar', length: 64 })
  callerId: string;

  /** Method and path template of the request. */
  @Column({ name: 'route', type: 'varchar', length: 300 })
  route: string;

  /** SHA-256 (hex) of what the request asked (its target and canonical body): the same key for another request is refused. */
  @Column({ name: 'fingerprint', type: 'varchar', length: 64 })
  fingerprint: string;

  /** The case the request acted on; null for the opening of a case (the case is its result then). */
  @Column({ name: 'case_id', type: 'varchar', length: 36, nullable: true })
  caseId: string | null;

  /** The id of what the request created (a step's record, an opened case). */
  @Column({ name: 'result_id', type: 'varchar', length: 36 })
  resultId: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;
}
