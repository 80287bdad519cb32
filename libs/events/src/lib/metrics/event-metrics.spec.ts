import { Logger } from '@nestjs/common';
import { create, encodeEnvelope, Events } from '@enforcement/contracts';
import type { DataSource } from 'typeorm';
import { agencyPayload, ledgerBinding, openTestDatabase } from '../../test-support/ledger';
import { EventDispatcher } from '../inbox/event-dispatcher';
import { TransactionalOutbox } from '../outbox/transactional-outbox';
import { DEFAULT_RELAY_OPTIONS, OutboxRelay } from '../relay/outbox-relay';
import type { EventPublisher, WireMessage } from '../transport/event-transport';
import { InProcessBroker } from '../transport/in-process-broker';
import { UNREADABLE_EVENT_TYPE, type EventMetrics } from './event-metrics';

const quiet = new Logger('test');
quiet.warn = () => undefined;
quiet.error = () => undefined;

/** Tallies what the backbone reports, as "kind topic-or-type" → total. */
class Tally implements EventMetrics {
  readonly counts = new Map<string, number>();
  relayed(topic: string, count: number): void {
    this.add(`relayed ${topic}`, count);
  }
  relayFailed(topic: string): void {
    this.add(`relayFailed ${topic}`, 1);
  }
  deadLettered(eventType: string): void {
    this.add(`deadLettered ${eventType}`, 1);
  }
  redeliverySkipped(eventType: string): void {
    this.add(`redeliverySkipped ${eventType}`, 1);
  }
  private add(key: string, count: number): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + count);
  }
}

const AGENCY = Events.AgencyRegistered.schema.typeName;
const AGENCY_TOPIC = Events.AgencyRegistered.topic;

function agencyMessage(name: string): WireMessage {
  const eventId = `00000000-0000-4000-8000-${name.padStart(12, '0').slice(-12)}`;
  const value = encodeEnvelope(Events.AgencyRegistered, create(Events.AgencyRegistered.schema, agencyPayload(name)), {
    eventId,
    occurredAt: new Date('2026-11-21T08:00:00Z'),
    agencyId: name,
    actingUserId: 'u1',
    correlationId: eventId,
    causationId: '',
    partitionKey: name,
  });
  return { topic: AGENCY_TOPIC, key: name, value, headers: {} };
}

describe('event backbone metrics', () => {
  let dataSource: DataSource;
  let tally: Tally;

  beforeEach(async () => {
    dataSource = await openTestDatabase({});
    tally = new Tally();
  });

  afterEach(() => dataSource.destroy());

  it('the relay counts the events it published per topic, and each failed attempt per topic', async () => {
    let failNext = 1;
    const publisher: EventPublisher = {
      publish: async () => {
        if (failNext-- > 0) throw new Error('broker unavailable');
      },
      ping: async () => undefined,
      close: async () => undefined,
    };
    const relay = new OutboxRelay(dataSource, publisher, { ...DEFAULT_RELAY_OPTIONS, name: 'test', batchSize: 2 }, quiet, tally);
    const outbox = new TransactionalOutbox(dataSource);
    for (const name of ['a', 'b', 'c']) {
      await outbox.run(({ emit }) => emit(Events.AgencyRegistered, agencyPayload(name), { partitionKey: name }));
    }

    await expect(relay.drain()).rejects.toThrow('broker unavailable');
    expect(Object.fromEntries(tally.counts)).toEqual({ [`relayFailed ${AGENCY_TOPIC}`]: 1 });
    expect(await relay.drain()).toBe(3);
    expect(tally.counts.get(`relayed ${AGENCY_TOPIC}`)).toBe(3);
    // Nothing is counted twice: a drain with nothing pending publishes nothing.
    await relay.drain();
    expect(tally.counts.get(`relayed ${AGENCY_TOPIC}`)).toBe(3);
  });

  it('the inbox counts each dead letter once, and every redelivery it skips, by event type', async () => {
    const dispatcher = new EventDispatcher(dataSource, { consumer: 'test', maxAttempts: 2, retryDelayMs: 1, metrics: tally }, quiet);
    dispatcher.register(ledgerBinding);

    expect(await dispatcher.dispatch(agencyMessage('poison-1'))).toBe('dead-lettered');
    expect(await dispatcher.dispatch(agencyMessage('healthy'))).toBe('handled');
    expect(await dispatcher.dispatch(agencyMessage('healthy'))).toBe('duplicate');
    expect(await dispatcher.dispatch(agencyMessage('poison-1'))).toBe('duplicate');
    expect(await dispatcher.dispatch({ topic: AGENCY_TOPIC, key: 'x', value: new Uint8Array([1, 2, 3]), headers: {} })).toBe(
      'dead-lettered',
    );

    expect(Object.fromEntries(tally.counts)).toEqual({
      [`deadLettered ${AGENCY}`]: 1,
      [`deadLettered ${UNREADABLE_EVENT_TYPE}`]: 1,
      [`redeliverySkipped ${AGENCY}`]: 2,
    });
  });
});

describe('in-process consumer lag', () => {
  it('is what a group has been handed but not yet taken, and nothing once a failed batch is given back', async () => {
    const broker = new InProcessBroker();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let deliveries = 0;
    await broker.subscribe('slow', [AGENCY_TOPIC, 'other-topic'], async () => {
      if (++deliveries === 1) await held;
      if (deliveries === 3) throw new Error('database down');
    });
    expect(await broker.consumerLag('slow')).toEqual([
      { topic: AGENCY_TOPIC, partition: 0, lag: 0 },
      { topic: 'other-topic', partition: 0, lag: 0 },
    ]);

    const publishing = broker.publish([agencyMessage('a'), agencyMessage('b'), agencyMessage('c')]);
    // A group that subscribes while the platform starts (before open) is handed what was published before.
    let lateDeliveries = 0;
    await broker.subscribe('late', [AGENCY_TOPIC], async () => void lateDeliveries++);
    broker.open();
    await new Promise((resolve) => setImmediate(resolve));
    // The first message is in the slow group's hands, not yet taken: all three are still undelivered to it.
    expect(await broker.consumerLag('slow')).toContainEqual({ topic: AGENCY_TOPIC, partition: 0, lag: 3 });
    expect(await broker.consumerLag('late')).toEqual([{ topic: AGENCY_TOPIC, partition: 0, lag: 3 }]);
    release();
    await expect(publishing).rejects.toThrow('database down');
    expect(await broker.consumerLag('slow')).toContainEqual({ topic: AGENCY_TOPIC, partition: 0, lag: 0 });
    expect(await broker.consumerLag('late')).toEqual([{ topic: AGENCY_TOPIC, partition: 0, lag: 0 }]);
    // 'a' and 'b' reached it; 'c' did not, as the slow group failed the batch on it first.
    expect(lateDeliveries).toBe(2);
    expect(await broker.consumerLag('nobody')).toEqual([]);
  });
});
