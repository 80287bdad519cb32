import { Column, Entity, PrimaryColumn } from 'typeorm';

export type InboxOutcome = 'processed' | 'dead-lettered';

/** An event a consumer has already had its effect from; a redelivery finds it here and does nothing. */
@Entity({ name: 'inbox_events' })
export class InboxEventEntity {
  @PrimaryColumn({ name: 'consumer', type: 'varchar', length: 100 })
  consumer: string;

  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 36 })
  eventId: string;

  @Column({ name: 'event_type', type: 'varchar', length: 200 })
  eventType: string;

  @Column({ name: 'outcome', type: 'varchar', length: 20 })
  outcome: InboxOutcome;

  @Column({ name: 'processed_at', type: 'datetime', precision: 3 })
  processedAt: Date;
}
