import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An event a consumer could not handle after its attempts, kept with its error for inspection and replay. */
@Entity({ name: 'dead_letters' })
@Index('ix_dead_letters_consumer_failed_at', ['consumer', 'failedAt'])
export class DeadLetterEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', name: 'id' })
  id: string;

  @Column({ name: 'consumer', type: 'varchar', length: 100 })
  consumer: string;

  /** Null when the bytes were not even a readable envelope. */
  @Column({ name: 'event_id', type: 'varchar', length: 36, nullable: true })
  eventId: string | null;

  @Column({ name: 'event_type', type: 'varchar', length: 200, nullable: true })
  eventType: string | null;

  @Column({ name: 'topic', type: 'varchar', length: 100 })
  topic: string;

  @Column({ name: 'partition_key', type: 'varchar', length: 100, nullable: true })
  partitionKey: string | null;

  @Column({ name: 'payload', type: 'blob' })
  payload: Buffer;

  @Column({ name: 'error', type: 'text' })
  error: string;

  @Column({ name: 'attempts', type: 'int' })
  attempts: number;

  @Column({ name: 'failed_at', type: 'datetime', precision: 3 })
  failedAt: Date;
}
