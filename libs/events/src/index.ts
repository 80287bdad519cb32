import { DeadLetterEntity } from './lib/inbox/dead-letter.entity';
import { InboxEventEntity } from './lib/inbox/inbox-event.entity';
import { LeaseEntity } from './lib/lease/lease.entity';
import { EventBackbone1763700000000 } from './lib/migrations/1763700000000-event-backbone';
import { SharedLeases1763700010000 } from './lib/migrations/1763700010000-shared-leases';
import { OutboxTraceParent1764100000000 } from './lib/migrations/1764100000000-outbox-trace-parent';
import { OutboxEventEntity } from './lib/outbox/outbox-event.entity';

export * from './lib/events.module';
export * from './lib/outbox/transactional-outbox';
export * from './lib/outbox/outbox-event.entity';
export * from './lib/inbox/inbox-event.entity';
export * from './lib/inbox/dead-letter.entity';
export * from './lib/inbox/event-handler';
export * from './lib/inbox/event-dispatcher';
export * from './lib/inbox/on-event.decorator';
export * from './lib/relay/outbox-relay';
export * from './lib/lease/lease.entity';
export * from './lib/lease/lease';
export * from './lib/lease/singleton-job';
export * from './lib/lease/scheduled-job';
export * from './lib/transport/event-transport';
export * from './lib/transport/in-process-broker';
export * from './lib/transport/kafka-transport';
export * from './lib/metrics/event-metrics';
export { EventBackbone1763700000000 } from './lib/migrations/1763700000000-event-backbone';
export { SharedLeases1763700010000 } from './lib/migrations/1763700010000-shared-leases';
export { OutboxTraceParent1764100000000 } from './lib/migrations/1764100000000-outbox-trace-parent';

/** Add to a service's entities and migrations. */
export const EVENT_BACKBONE_ENTITIES = [OutboxEventEntity, InboxEventEntity, DeadLetterEntity, LeaseEntity];
export const EVENT_BACKBONE_MIGRATIONS = [EventBackbone1763700000000, SharedLeases1763700010000, OutboxTraceParent1764100000000];
