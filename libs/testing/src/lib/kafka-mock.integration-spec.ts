import { connect } from 'node:net';
import { Kafka, logLevel, Partitioners, type Consumer, type Producer } from 'kafkajs';
import { startKafkaMock, type KafkaMock } from './kafka-mock';

const TOPIC = 'testing.kafka-mock.v1';
const OUTAGE_TOPIC = 'testing.kafka-mock.outage.v1';
const RESUME_TOPIC = 'testing.kafka-mock.resume.v1';

describe(startKafkaMock.name, () => {
  let mock: KafkaMock;
  let kafka: Kafka;
  const clients: Array<Producer | Consumer> = [];

  beforeAll(async () => {
    mock = await startKafkaMock({ topics: [{ name: TOPIC, partitions: 2 }, { name: OUTAGE_TOPIC }, { name: RESUME_TOPIC }] });
    kafka = new Kafka({
      clientId: 'kafka-mock-spec',
      brokers: mock.brokers,
      logLevel: logLevel.NOTHING,
      // Fail fast while the broker is down instead of kafkajs' default ~30 s of retries.
      connectionTimeout: 1_000,
      requestTimeout: 2_000,
      retry: { retries: 0 },
    });
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((client) => client.disconnect()));
    await mock?.stop();
  });

  async function producer(): Promise<Producer> {
    const created = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    clients.push(created);
    await created.connect();
    return created;
  }

  /** Reads `count` messages of `topic` with a consumer of `groupId`, from the beginning if nothing is committed. */
  async function read(topic: string, count: number, groupId = `kafka-mock-spec-${topic}-${Date.now()}`): Promise<string[]> {
    const consumer = kafka.consumer({
      groupId,
      // The mock's fetch long-polls for maxWaitTimeInMs (default 5 s), and disconnect() waits for it.
      maxWaitTimeInMs: 100,
      // The mock keeps a departed member until its session times out (default 30 s), so a second consumer of
      // the same group waits that long to join; 6 s is the smallest value Kafka accepts.
      sessionTimeout: 6_000,
      heartbeatInterval: 500,
    });
    clients.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const values: string[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            values.push(message.value?.toString() ?? '');
            if (values.length >= count) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    return values;
  }

  it('reports a loopback bootstrap address', () => {
    expect(mock.brokers).toEqual([expect.stringMatching(/^127\.0\.0\.1:\d+$/)]);
  });

  it('delivers produced messages to a consumer group', async () => {
    const sent = Array.from({ length: 10 }, (_, i) => `message-${i}`);
    const p = await producer();
    await p.send({ topic: TOPIC, messages: sent.map((value, i) => ({ key: `key-${i}`, value })) });

    const received = await read(TOPIC, sent.length);

    expect([...received].sort()).toEqual([...sent].sort());
  });

  it('resumes a consumer group after its committed offset', async () => {
    const topic = RESUME_TOPIC;
    const p = await producer();
    await p.send({ topic, messages: [{ value: 'first' }] });
    expect(await read(topic, 1, 'kafka-mock-spec-resume')).toEqual(['first']);

    await p.send({ topic, messages: [{ value: 'second' }] });

    expect(await read(topic, 1, 'kafka-mock-spec-resume')).toEqual(['second']);
  });

  it('fails sends while the broker is down and recovers with its data after setUp', async () => {
    const p = await producer();
    await p.send({ topic: OUTAGE_TOPIC, messages: [{ value: 'before-outage' }] });

    await mock.setDown();
    await expect(p.send({ topic: OUTAGE_TOPIC, messages: [{ value: 'during-outage' }] })).rejects.toThrow();

    await mock.setUp();
    await p.send({ topic: OUTAGE_TOPIC, messages: [{ value: 'after-outage' }] });

    expect(await read(OUTAGE_TOPIC, 2)).toEqual(['before-outage', 'after-outage']);
  });

  it('rejects invalid topic specs before starting anything', async () => {
    await expect(startKafkaMock({ topics: [{ name: 'bad:name' }] })).rejects.toThrow(/invalid topic name/);
    await expect(startKafkaMock({ topics: [{ name: 'ok', partitions: 0 }] })).rejects.toThrow(/partition count/);
  });

  it('stops the broker process so its port refuses connections', async () => {
    const other = await startKafkaMock({ topics: [] });
    const [host, port] = other.brokers[0].split(':');
    await expect(tcpConnect(host, Number(port))).resolves.toBeUndefined();

    await other.stop();

    await expect(tcpConnect(host, Number(port))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(other.stop()).resolves.toBeUndefined();
    await expect(other.setDown()).rejects.toThrow(/not running/);
  });
});

function tcpConnect(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}
