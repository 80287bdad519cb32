import type { LoggerService } from '@nestjs/common';
import { Kafka, logLevel, type Admin, type Consumer, type EachMessageHandler, type Producer } from 'kafkajs';
import type { DeliverFn, EventPublisher, EventSubscriber, PartitionLag, WireMessage } from './event-transport';
import { retryingRetriable } from './kafka-retry';

export interface KafkaTransportOptions {
  brokers: string[];
  clientId: string;
  /** How long a consumer waits before it takes a message again after a failed delivery. */
  redeliveryDelayMs?: number;
  sessionTimeoutMs?: number;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /**
   * Put before every topic and consumer-group name, so that several deployments (or test suites) can share
   * one cluster without seeing each other's events. Services and tests keep using the registry's names.
   */
  topicPrefix?: string;
}

/** Wraps the bytes without copying them: the relay hands over whole batches of payloads. */
function asBuffer(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

function toKafkaHeaders(headers: Record<string, string>): Record<string, string> {
  return { ...headers };
}

function fromKafkaHeaders(headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined) {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) result[name] = first.toString();
  }
  return result;
}

/**
 * Kafka through kafkajs. The producer waits for all in-sync replicas (acks -1) and keeps one request
 * in flight, so the relay's order per partition key survives retries.
 */
export class KafkaTransport implements EventPublisher, EventSubscriber {
  private readonly kafka: Kafka;
  private producer: Producer | undefined;
  private producerConnecting: Promise<Producer> | undefined;
  private admin: Admin | undefined;
  private adminConnecting: Promise<Admin> | undefined;
  private readonly consumers: Consumer[] = [];
  /** Each group's topics (unprefixed), for its lag. */
  private readonly subscribedTopics = new Map<string, readonly string[]>();
  private closed = false;
  private readonly prefix: string;

  constructor(
    private readonly options: KafkaTransportOptions,
    private readonly logger: LoggerService,
  ) {
    this.prefix = options.topicPrefix ?? '';
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      connectionTimeout: options.connectionTimeoutMs ?? 3000,
      requestTimeout: options.requestTimeoutMs ?? 10000,
      // The relay and consumers have their own retry loops; kafkajs only smooths over short blips.
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
      logLevel: logLevel.NOTHING,
    });
  }

  async publish(messages: readonly WireMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await this.connectedProducer();
    const byTopic = new Map<string, { key: string; value: Buffer; headers: Record<string, string> }[]>();
    for (const message of messages) {
      const topic = this.prefix + message.topic;
      const list = byTopic.get(topic) ?? [];
      list.push({ key: message.key, value: asBuffer(message.value), headers: toKafkaHeaders(message.headers) });
      byTopic.set(topic, list);
    }
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, topicMessages]) => ({ topic, messages: topicMessages })),
    });
  }

  async ping(): Promise<void> {
    await (await this.connectedAdmin()).describeCluster();
  }

  /**
   * The high watermark of each partition minus the group's committed offset (from the low watermark while the
   * group has committed nothing there). Costs one offsets request for the group and one per topic.
   */
  async consumerLag(group: string): Promise<PartitionLag[]> {
    const topics = this.subscribedTopics.get(group);
    if (!topics || topics.length === 0) return [];
    const admin = await this.connectedAdmin();
    const [committed, ends] = await retryingRetriable(() =>
      Promise.all([
        admin.fetchOffsets({ groupId: this.prefix + group, topics: topics.map((topic) => this.prefix + topic) }),
        Promise.all(topics.map((topic) => admin.fetchTopicOffsets(this.prefix + topic))),
      ]),
    );
    return topics.flatMap((topic, index) => {
      const partitions = committed.find((entry) => entry.topic === this.prefix + topic)?.partitions ?? [];
      return ends[index].map((end) => {
        const offset = Number(partitions.find((partition) => partition.partition === end.partition)?.offset ?? -1);
        const from = offset >= 0 ? offset : Number(end.low);
        return { topic, partition: end.partition, lag: Math.max(0, Number(end.high) - from) };
      });
    });
  }

  private connectedAdmin(): Promise<Admin> {
    // One connection for every caller, even those that come while it is being made (a probe and a scrape at once).
    this.adminConnecting ??= (async () => {
      const admin = this.kafka.admin();
      this.admin = admin;
      try {
        await admin.connect();
      } catch (error) {
        this.adminConnecting = undefined;
        throw error;
      }
      return admin;
    })();
    return this.adminConnecting;
  }

  async subscribe(group: string, topics: readonly string[], deliver: DeliverFn): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.prefix + group,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30000,
      heartbeatInterval: Math.min(3000, Math.floor((this.options.sessionTimeoutMs ?? 30000) / 3)),
      allowAutoTopicCreation: false,
      // A short fetch wait bounds delivery latency on brokers that hold fetches to the full wait (and makes
      // disconnects quick); real brokers answer as soon as data arrives anyway.
      maxWaitTimeInMs: 500,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10000 },
    });
    this.consumers.push(consumer);
    this.subscribedTopics.set(group, topics);
    const redeliveryDelay = this.options.redeliveryDelayMs ?? 1000;
    const prefixed = topics.map((topic) => this.prefix + topic);
    const eachMessage: EachMessageHandler = async ({ topic, message, pause }) => {
      try {
        await deliver({
          topic: topic.slice(this.prefix.length),
          key: message.key?.toString() ?? '',
          value: message.value ?? Buffer.alloc(0),
          headers: fromKafkaHeaders(message.headers),
        });
      } catch (error) {
        // Not handled now (e.g. our database is down): pause the partition and take the same message
        // again later. The offset is not committed, so nothing is lost.
        const resume = pause();
        setTimeout(resume, redeliveryDelay).unref();
        throw error;
      }
    };
    let crashes = 0;
    consumer.on(consumer.events.CRASH, (event) => {
      const { error } = event.payload;
      // kafkajs wraps what the delivery threw; the wrapped error says what went wrong.
      const cause = (error as { cause?: unknown }).cause;
      const message = `kafka consumer ${group} stopped: ${String(error)}${cause === undefined || cause === error ? '' : ` (${String(cause)})`}`;
      // Retriable broker answers (a coordinator still loading after a broker start, a leader moving) make
      // kafkajs restart the consumer by itself: worth a warning, not an error.
      if (event.payload.restart) {
        this.logger.warn?.(`${message}; restarting`, 'KafkaTransport');
        return;
      }
      // kafkajs gives up for good on the errors it deems unrecoverable (TypeError, RangeError, ReferenceError,
      // SyntaxError) and has disconnected the consumer: left so, the service would stop consuming while its
      // health stays green. Started again here, later each time; the message's offset was never committed.
      const delay = Math.min(30_000, redeliveryDelay * 2 ** Math.min(crashes++, 5));
      this.logger.error?.(`${message}; starting it again in ${delay} ms`, undefined, 'KafkaTransport');
      if (!this.closed) setTimeout(() => void this.runConsumer(consumer, group, prefixed, eachMessage), delay).unref();
    });
    // Connecting may fail while the broker is down; keep trying in the background instead of failing boot.
    void this.runConsumer(consumer, group, prefixed, eachMessage);
  }

  private async runConsumer(consumer: Consumer, group: string, topics: readonly string[], eachMessage: EachMessageHandler): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: [...topics], fromBeginning: true });
        await consumer.run({ eachMessage, autoCommit: true });
        return;
      } catch (error) {
        this.logger.warn?.(`kafka consumer ${group} not started (${String(error)}); retrying`, 'KafkaTransport');
        await new Promise((resolve) => setTimeout(resolve, Math.min(10000, 500 * 2 ** attempt)).unref());
      }
    }
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    this.producerConnecting ??= (async () => {
      const producer = this.kafka.producer({ allowAutoTopicCreation: false, maxInFlightRequests: 1, idempotent: false });
      try {
        await producer.connect();
      } catch (error) {
        this.producerConnecting = undefined;
        throw error;
      }
      this.producer = producer;
      return producer;
    })();
    return this.producerConnecting;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([
      ...this.consumers.map((consumer) => consumer.disconnect()),
      this.producer?.disconnect(),
      this.admin?.disconnect(),
    ]);
  }
}
