import { Logger } from '@nestjs/common';
import { decodeEnvelope, decodePayload, Events } from '@enforcement/contracts';
import { IsNull, type DataSource } from 'typeorm';
import { agencyPayload, LedgerEntry, openTestDatabase } from '../../test-support/ledger';
import { LeaseEntity } from '../lease/lease.entity';
import { OutboxEventEntity } from '../outbox/outbox-event.entity';
import { TransactionalOutbox } from '../outbox/transactional-outbox';
import type { EventPublisher, WireMessage } from '../transport/event-transport';
import { DEFAULT_RELAY_OPTIONS, OutboxRelay } from './outbox-relay';

class RecordingPublisher implements EventPublisher {
  readonly published: WireMessage[] = [];
  failNext = 0;

  async publish(messages: readonly WireMessage[]): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('broker unavailable');
    }
    this.published.push(...messages);
  }

  async ping(): Promise<void> {
    // always reachable
  }

  async close(): Promise<void> {
    // nothing to release
  }
}

const silent = new Logger('test');
silent.warn = () => undefined;

describe(OutboxRelay.name, () => {
  let dataSource: DataSource;
  let publisher: RecordingPublisher;
  let outbox: TransactionalOutbox;
  let sut: OutboxRelay;

  beforeEach(async () => {
    dataSource = await openTestDatabase({});
    publisher = new RecordingPublisher();
    outbox = new TransactionalOutbox(dataSource);
    sut = new OutboxRelay(dataSource, publisher, { ...DEFAULT_RELAY_OPTIONS, name: 'test', batchSize: 3 }, silent);
  });

  afterEach(async () => {
    await sut.stop();
    await dataSource.destroy();
  });

  const emitAgency = (name: string, key = 'k1') =>
    outbox.run(({ emit }) => emit(Events.AgencyRegistered, agencyPayload(name), { partitionKey: key }));

  it('publishes committed events in commit order, across batches, and marks them sent', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) await emitAgency(name);

    const sent = await sut.drain();

    expect(sent).toBe(5);
    const names = publisher.published.map((m) => decodePayload(Events.AgencyRegistered, decodeEnvelope(m.value)).name);
    expect(names).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await dataSource.getRepository(OutboxEventEntity).countBy({ sentAt: IsNull() })).toBe(0);
    expect((await sut.status()).pending).toBe(0);
  });

  it('sends nothing from a transaction that rolled back', async () => {
    await expect(
      outbox.run(async ({ emit, manager }) => {
        await emit(Events.AgencyRegistered, agencyPayload('ghost'), { partitionKey: 'k' });
        await manager.insert(LedgerEntry, { seq: 'x', agencyId: 'x', name: 'x' });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');

    expect(await sut.drain()).toBe(0);
    expect(publisher.published).toHaveLength(0);
  });

  it('keeps a failed batch pending and sends it before anything later once the broker is back', async () => {
    await emitAgency('first');
    publisher.failNext = 1;

    await expect(sut.drain()).rejects.toThrow('broker unavailable');
    const status = await sut.status();
    expect(status.pending).toBe(1);
    const row = await dataSource.getRepository(OutboxEventEntity).findOneByOrFail({});
    expect(row.attempts).toBe(1);
    expect(row.lastError).toBe('broker unavailable');

    await emitAgency('second');
    expect(await sut.drain()).toBe(2);
    const order = publisher.published.map((m) => m.headers['event-id']);
    const rows = await dataSource.getRepository(OutboxEventEntity).find({ order: { id: 'ASC' } });
    expect(order).toEqual(rows.map((r) => r.eventId));
  });

  it('puts event id and type in the headers and the case key as message key', async () => {
    await emitAgency('with-headers', 'case-42');
    await sut.drain();
    const [message] = publisher.published;
    const envelope = decodeEnvelope(message.value);
    expect(message.key).toBe('case-42');
    expect(message.topic).toBe('enforcement.certificates.v1');
    expect(message.headers).toEqual({ 'event-id': envelope.eventId, 'event-type': envelope.eventType });
  });

  it('lets only the lease holder relay', async () => {
    await emitAgency('leased');
    const other = new OutboxRelay(dataSource, publisher, { ...DEFAULT_RELAY_OPTIONS, name: 'test' }, silent);

    expect(await sut.drain()).toBe(1);
    await emitAgency('second');
    expect(await other.drain()).toBe(0);
    expect(await sut.drain()).toBe(1);
  });

  it('renews its lease once a third of its TTL has passed, not with every drain, and a second relay still waits', async () => {
    const options = { ...DEFAULT_RELAY_OPTIONS, name: 'renewing', leaseTtlMs: 900 };
    const leased = new OutboxRelay(dataSource, publisher, options, silent);
    const other = new OutboxRelay(dataSource, publisher, options, silent);
    const expiry = async () => (await dataSource.getRepository(LeaseEntity).findOneByOrFail({ name: 'renewing' })).expiresAt.getTime();
    try {
      await emitAgency('a');
      expect(await leased.drain()).toBe(1);
      const taken = await expiry();
      for (const name of ['b', 'c']) {
        await emitAgency(name);
        expect(await leased.drain()).toBe(1);
      }
      expect(await expiry()).toBe(taken);
      expect(await other.drain()).toBe(0);

      await new Promise((resolve) => setTimeout(resolve, 320));
      await emitAgency('d');
      expect(await leased.drain()).toBe(1);
      expect(await expiry()).toBeGreaterThan(taken);

      // Stopped, it gives the lease up and forgets it held it: the other relay takes over, and it must ask again.
      await leased.stop();
      await emitAgency('e');
      expect(await other.drain()).toBe(1);
      expect(await leased.drain()).toBe(0);
    } finally {
      await other.stop();
    }
  });

  it('delivers soon after commit when running, without waiting for the poll interval', async () => {
    const relay = new OutboxRelay(dataSource, publisher, { ...DEFAULT_RELAY_OPTIONS, name: 'nudged', pollIntervalMs: 60_000 }, silent);
    const nudging = new TransactionalOutbox(dataSource, () => relay.nudge());
    relay.start();
    try {
      await nudging.run(({ emit }) => emit(Events.AgencyRegistered, agencyPayload('fast'), { partitionKey: 'k' }));
      await waitFor(() => publisher.published.length === 1, 5000);
    } finally {
      await relay.stop();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
