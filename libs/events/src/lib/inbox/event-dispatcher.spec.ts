import { Logger } from '@nestjs/common';
import { create, decodeEnvelope, encodeEnvelope, Events } from '@enforcement/contracts';
import type { DataSource } from 'typeorm';
import { agencyPayload, ledgerBinding, LedgerEntry, openTestDatabase } from '../../test-support/ledger';
import { OutboxEventEntity } from '../outbox/outbox-event.entity';
import type { WireMessage } from '../transport/event-transport';
import { DeadLetterEntity } from './dead-letter.entity';
import { EventDispatcher } from './event-dispatcher';
import { InboxEventEntity } from './inbox-event.entity';

const quiet = new Logger('test');
quiet.warn = () => undefined;
quiet.error = () => undefined;

function agencyMessage(name: string, eventId = `00000000-0000-4000-8000-${name.padStart(12, '0').slice(-12)}`): WireMessage {
  const value = encodeEnvelope(Events.AgencyRegistered, create(Events.AgencyRegistered.schema, agencyPayload(name)), {
    eventId,
    occurredAt: new Date('2026-11-21T08:00:00Z'),
    agencyId: name,
    actingUserId: 'u1',
    correlationId: eventId,
    causationId: '',
    partitionKey: name,
  });
  return { topic: Events.AgencyRegistered.topic, key: name, value, headers: {} };
}

describe(EventDispatcher.name, () => {
  let dataSource: DataSource;
  let sut: EventDispatcher;

  beforeEach(async () => {
    dataSource = await openTestDatabase({});
    sut = new EventDispatcher(dataSource, { consumer: 'test', maxAttempts: 3, retryDelayMs: 1 }, quiet);
    sut.register(ledgerBinding);
  });

  afterEach(() => dataSource.destroy());

  it('applies an event once however often it is delivered', async () => {
    const message = agencyMessage('once');

    expect(await sut.dispatch(message)).toBe('handled');
    expect(await sut.dispatch(message)).toBe('duplicate');
    expect(await sut.dispatch(message)).toBe('duplicate');

    expect(await dataSource.getRepository(LedgerEntry).count()).toBe(1);
    const inbox = await dataSource.getRepository(InboxEventEntity).find();
    expect(inbox).toMatchObject([{ consumer: 'test', outcome: 'processed' }]);
  });

  it('dead-letters a handler that keeps failing, with its error, and goes on with the next event', async () => {
    expect(await sut.dispatch(agencyMessage('poison-1'))).toBe('dead-lettered');
    expect(await sut.dispatch(agencyMessage('healthy'))).toBe('handled');

    const [letter] = await dataSource.getRepository(DeadLetterEntity).find();
    expect(letter).toMatchObject({ consumer: 'test', attempts: 3, eventType: 'enforcement.certificates.v1.AgencyRegistered' });
    expect(letter.error).toContain('cannot handle poison-1');
    expect((await dataSource.getRepository(LedgerEntry).find()).map((e) => e.name)).toEqual(['healthy']);
    // A redelivery of the dead-lettered event does not run the handler again.
    expect(await sut.dispatch(agencyMessage('poison-1'))).toBe('duplicate');
  });

  it('rolls back a failed attempt entirely and succeeds on a later attempt', async () => {
    let calls = 0;
    const flaky = new EventDispatcher(dataSource, { consumer: 'flaky', maxAttempts: 3, retryDelayMs: 1 }, quiet);
    flaky.register({
      ...ledgerBinding,
      handle: async (payload, context) => {
        calls++;
        await ledgerBinding.handle(payload, context);
        if (calls === 1) throw new Error('fails after writing');
      },
    });

    expect(await flaky.dispatch(agencyMessage('flaky'))).toBe('handled');
    expect(calls).toBe(2);
    expect(await dataSource.getRepository(LedgerEntry).count()).toBe(1);
  });

  it('dead-letters bytes that are not an envelope without calling any handler', async () => {
    const garbage = { topic: 'enforcement.certificates.v1', key: 'k', value: Buffer.from('not protobuf \xff\xff'), headers: {} };

    expect(await sut.dispatch(garbage)).toBe('dead-lettered');

    const [letter] = await dataSource.getRepository(DeadLetterEntity).find();
    expect(letter.eventId).toBeNull();
    expect(letter.error).toContain('contract violation');
    expect(Buffer.from(letter.payload).equals(garbage.value)).toBe(true);
  });

  it('ignores event types it has no handler for', async () => {
    const other = new EventDispatcher(dataSource, { consumer: 'other', maxAttempts: 1, retryDelayMs: 1 }, quiet);
    expect(await other.dispatch(agencyMessage('unrelated'))).toBe('ignored');
    expect(await dataSource.getRepository(InboxEventEntity).count()).toBe(0);
  });

  it('rejects the delivery instead of dead-lettering when the database is unreachable', async () => {
    const outage = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' });
    const broken = new EventDispatcher(dataSource, { consumer: 'broken', maxAttempts: 3, retryDelayMs: 1 }, quiet);
    broken.register({ ...ledgerBinding, handle: async () => Promise.reject(outage) });

    await expect(broken.dispatch(agencyMessage('outage'))).rejects.toBe(outage);
    expect(await dataSource.getRepository(DeadLetterEntity).count()).toBe(0);
    expect(await dataSource.getRepository(InboxEventEntity).count()).toBe(0);
  });

  it('gives follow-up events the causation and correlation of the event that caused them', async () => {
    const chaining = new EventDispatcher(dataSource, { consumer: 'chain', maxAttempts: 1, retryDelayMs: 1 }, quiet);
    let followUp = '';
    chaining.register({
      ...ledgerBinding,
      handle: async (_payload, { emit }) => {
        followUp = await emit(Events.OfficerRegistered, { officerId: 'o1', agencyId: 'a', name: 'n', roles: [] }, { partitionKey: 'o1' });
      },
    });
    const message = agencyMessage('cause', '11111111-1111-4111-8111-111111111111');

    await chaining.dispatch(message);

    const row = await dataSource.getRepository(OutboxEventEntity).findOneByOrFail({ eventId: followUp });
    const envelope = decodeEnvelope(row.payload);
    expect(envelope.causationId).toBe('11111111-1111-4111-8111-111111111111');
    expect(envelope.correlationId).toBe('11111111-1111-4111-8111-111111111111');
    expect(envelope.agencyId).toBe('cause');
  });
});
