import { startKafkaMock } from '@enforcement/testing';
import { Kafka, logLevel } from 'kafkajs';

// Per-batch latency of bare kafkajs against the mock: is the baseline's spread the broker's, or ours?
async function main(): Promise<void> {
  const kafka = await startKafkaMock({ topics: [{ name: 't', partitions: 3 }] });
  const client = new Kafka({ clientId: 'x', brokers: kafka.brokers, logLevel: logLevel.NOTHING });
  const producer = client.producer({ allowAutoTopicCreation: false, maxInFlightRequests: 1 });
  await producer.connect();
  const messages = Array.from({ length: Number(process.argv[2] ?? 500) }, (_, i) => ({
    key: `case-${i % 64}`,
    value: Buffer.alloc(330, i),
    headers: { 'event-id': 'c9a7f0d2-5e0a-4b8e-8d6a-1f2e3d4c5b6a', 'event-type': 'enforcement.recording.v1.StepRecorded' },
  }));
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = process.hrtime.bigint();
    await producer.sendBatch({ acks: -1, topicMessages: [{ topic: 't', messages }] });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.floor(p * (sorted.length - 1))].toFixed(1);
  process.stdout.write(`batch ms: min ${q(0)} p25 ${q(0.25)} p50 ${q(0.5)} p75 ${q(0.75)} p90 ${q(0.9)} max ${q(1)}\n`);
  process.stdout.write(`${times.slice(100, 160).map((t) => t.toFixed(0)).join(' ')}\n`);
  await producer.disconnect();
  await kafka.stop();
}
void main();
