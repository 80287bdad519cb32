import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An event committed with the write that caused it, waiting for the relay (transactional outbox). */
@Entity({ name: 'outbox_events' })
@Index('ix_outbox_events_pending', ['sentAt', 'id'])
export class OutboxEventEntity {
  /** Insertion order is publication order, which keeps the events of one partition key in order. */
  @PrimaryGeneratedColumn({ type: 'bigint', name: 'id' })
  id: string;

  @Column({ name: 'event_id', type: 'varchar', length: 36, unique: true })
  eventId: string;

  @Column({ name: 'event_type', type: 'varchar', length: 200 })
  eventType: string;

  @Column({ name: 'topic', type: 'varchar', length: 100 })
  topic: string;

  @Column({ name: 'partition_key', type: 'varchar', length: 100 })
  partitionKey: string;

  /** The encoded envelope, exactly the bytes that go on the wire. */
  @Column({ name: 'payload', type: 'blob' })
  payload: Buffer;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'datetime', precision: 3, nullable: true })
  sentAt: Date | null;

  @Column({ name: 'attempts', type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /** W3C traceparent of the span that staged the event (the `traceparent` header on the wire); null outside a span. */
  @Column({ name: 'trace_parent', type: 'varchar', length: 55, nullable: true })
  traceParent: string | null;
}
