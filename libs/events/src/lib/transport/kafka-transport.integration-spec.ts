import type { LoggerService } from '@nestjs/common';
import { eventually, useKafka, type TestKafka } from '@enforcement/testing';
import { KafkaTransport } from './kafka-transport';

const quiet: LoggerService = { log: () => undefined, warn: () => undefined, error: () => undefined };
const TOPIC = 'enforcement.certificates.v1';
const SESSION_TIMEOUT_MS = 30_000;

/**
 * Two replicas consuming in one group on the shared broker; one stops as a service does on SIGTERM
 * (EventsModule closes its transport).
 */
describe('KafkaTransport stopping', () => {
  let kafka: TestKafka;
  const transports: KafkaTransport[] = [];

  beforeAll(async () => {
    kafka = await useKafka({ topics: [TOPIC], partitions: 3 });
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(transports.map((transport) => transport.close()));
    await kafka?.release();
  });

  const transport = (clientId: string) => {
    const created = new KafkaTransport(
      { brokers: kafka.brokers, clientId, topicPrefix: kafka.topicPrefix, sessionTimeoutMs: SESSION_TIMEOUT_MS },
      quiet,
    );
    transports.push(created);
    return created;
  };

  it('finishes the message in hand, then leaves the group: the other replica takes every partition at once, not after the session timeout', async () => {
    const publisher = transport('publisher');
    const handled: Array<{ by: string; value: string }> = [];
    let holdA: { arrived: (value: string) => void; release: Promise<void> } | undefined;
    const a = transport('replica-a');
    const b = transport('replica-b');
    await a.subscribe('shutdown-group', [TOPIC], async (message) => {
      const held = holdA;
      holdA = undefined;
      if (held) {
        held.arrived(message.value.toString());
        await held.release;
      }
      handled.push({ by: 'a', value: message.value.toString() });
    });
    await b.subscribe('shutdown-group', [TOPIC], async (message) => {
      handled.push({ by: 'b', value: message.value.toString() });
    });
    const publish = (label: string) =>
      publisher.publish(
        Array.from({ length: 24 }, (_, i) => ({ topic: TOPIC, key: `key-${i}`, value: Buffer.from(`${label}-${i}`), headers: {} })),
      );

    // Until the group has settled with both replicas holding partitions.
    for (let round = 0; ; round++) {
      await publish(`warm-up-${round}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (handled.some((h) => h.by === 'a') && handled.some((h) => h.by === 'b')) break;
      if (round > 60) throw new Error('the group never spread over both replicas');
    }

    // a is in the middle of a message when it is told to stop.
    let arrived = (_value: string) => undefined as void;
    const inHand = new Promise<string>((resolve) => (arrived = resolve));
    let release = () => undefined as void;
    holdA = { arrived: (value) => arrived(value), release: new Promise<void>((resolve) => (release = resolve)) };
    await publish('in-hand');
    const heldValue = await inHand;
    let closed = false;
    const closing = a.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(closed).toBe(false);
    expect(handled.some((h) => h.value === heldValue)).toBe(false);
    release();
    await closing;
    // b may still be handling its own partitions' messages; the one in a's hand was finished by a before it left.
    expect(handled).toContainEqual({ by: 'a', value: heldValue });

    // Everything published from now on reaches b, on every partition, long before a's session would time out.
    const stoppedAt = Date.now();
    await publish('after');
    await eventually(
      () => expect(handled.filter((h) => h.value.startsWith('after-')).length).toBeGreaterThanOrEqual(24),
      SESSION_TIMEOUT_MS / 2,
      50,
    );
    const tookMs = Date.now() - stoppedAt;
    expect(new Set(handled.filter((h) => h.value.startsWith('after-')).map((h) => h.by))).toEqual(new Set(['b']));
    expect(tookMs).toBeLessThan(SESSION_TIMEOUT_MS / 2);
  }, 120_000);
});

/**
 * A delivery that fails with an error kafkajs deems unrecoverable (a TypeError: a bug, not an outage) makes kafkajs
 * disconnect the consumer for good. The transport starts it again, so the message is taken again once the bug is
 * gone (here: on the second try) instead of the service silently consuming nothing more.
 */
describe('KafkaTransport after a crash kafkajs does not restart', () => {
  let kafka: TestKafka;
  let transport: KafkaTransport | undefined;
  let publisher: KafkaTransport | undefined;

  beforeAll(async () => {
    kafka = await useKafka({ topics: [TOPIC], partitions: 1 });
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([transport?.close(), publisher?.close()]);
    await kafka?.release();
  });

  it('starts the consumer again and takes the message that crashed it, then the ones after it', async () => {
    const errors: string[] = [];
    const logger: LoggerService = { ...quiet, error: (message: unknown) => void errors.push(String(message)) };
    const options = { brokers: kafka.brokers, topicPrefix: kafka.topicPrefix, redeliveryDelayMs: 200 };
    publisher = new KafkaTransport({ ...options, clientId: 'crash-publisher' }, quiet);
    transport = new KafkaTransport({ ...options, clientId: 'crash-consumer' }, logger);
    const handled: string[] = [];
    let crashed = false;
    await transport.subscribe('crash-group', [TOPIC], async (message) => {
      const value = message.value.toString();
      if (value === 'poison' && !crashed) {
        crashed = true;
        throw new TypeError("Cannot read properties of undefined (reading 'eventType')");
      }
      handled.push(value);
    });

    await publisher.publish(
      ['before', 'poison', 'after'].map((value) => ({ topic: TOPIC, key: 'k', value: Buffer.from(value), headers: {} })),
    );

    await eventually(() => expect(handled).toEqual(expect.arrayContaining(['before', 'poison', 'after'])), 60_000, 100);
    expect(crashed).toBe(true);
    expect(handled.indexOf('poison')).toBeLessThan(handled.indexOf('after'));
    expect(errors).toEqual([expect.stringMatching(/kafka consumer crash-group stopped: .*TypeError.*; starting it again in \d+ ms/)]);
  }, 120_000);
});
