import type { DeliverFn, EventPublisher, EventSubscriber, PartitionLag, WireMessage } from './event-transport';

interface Subscription {
  group: string;
  topics: ReadonlySet<string>;
  deliver: DeliverFn;
}

/**
 * The embedded-mode transport: all services live in one process and share one broker instance.
 * Delivery is synchronous into each subscribed group, and `publish` resolves only after every group
 * took the message, so the relay marks an event sent only once its consumers have it. Delivery waits
 * until `open()`: otherwise an event relayed before a later service subscribed would reach nobody.
 */
export class InProcessBroker implements EventPublisher, EventSubscriber {
  private readonly subscriptions: Subscription[] = [];
  /** Messages published but not yet delivered, per group and topic: the in-process consumer lag. */
  private readonly undelivered = new Map<string, Map<string, number>>();
  private openGate!: () => void;
  private readonly opened = new Promise<void>((resolve) => (this.openGate = resolve));

  open(): void {
    this.openGate();
  }

  async subscribe(group: string, topics: readonly string[], deliver: DeliverFn): Promise<void> {
    if (this.subscriptions.some((subscription) => subscription.group === group)) {
      throw new Error(`consumer group ${group} is already subscribed`);
    }
    this.subscriptions.push({ group, topics: new Set(topics), deliver });
  }

  async publish(messages: readonly WireMessage[]): Promise<void> {
    await this.opened;
    // Matched only once open: a service that subscribes while the platform starts still gets what was relayed before.
    const deliveries = messages.flatMap((message) =>
      this.subscriptions
        .filter((subscription) => subscription.topics.has(message.topic))
        .map((subscription) => ({ message, subscription })),
    );
    for (const { message, subscription } of deliveries) this.countUndelivered(subscription.group, message.topic, 1);
    let delivered = 0;
    try {
      for (const { message, subscription } of deliveries) {
        await subscription.deliver(message);
        this.countUndelivered(subscription.group, message.topic, -1);
        delivered++;
      }
    } finally {
      // A failed delivery fails the batch: the relay publishes it again, so what was left is no longer waiting here.
      for (const { message, subscription } of deliveries.slice(delivered)) this.countUndelivered(subscription.group, message.topic, -1);
    }
  }

  /** One partition per topic: the broker keeps no partitions, and delivers in publication order. */
  async consumerLag(group: string): Promise<PartitionLag[]> {
    const subscription = this.subscriptions.find((candidate) => candidate.group === group);
    const counts = this.undelivered.get(group);
    return [...(subscription?.topics ?? [])].map((topic) => ({ topic, partition: 0, lag: counts?.get(topic) ?? 0 }));
  }

  private countUndelivered(group: string, topic: string, change: number): void {
    const counts = this.undelivered.get(group) ?? new Map<string, number>();
    counts.set(topic, (counts.get(topic) ?? 0) + change);
    this.undelivered.set(group, counts);
  }

  async ping(): Promise<void> {
    // Always reachable: it lives in this process.
  }

  async close(): Promise<void> {
    this.subscriptions.length = 0;
  }
}

/**
 * Publisher and subscriber handles onto one shared broker. Closing a service closes only its handle,
 * never the broker the other services still use.
 */
export function inProcessTransport(broker: InProcessBroker): EventPublisher & EventSubscriber {
  return {
    publish: (messages) => broker.publish(messages),
    ping: () => broker.ping(),
    subscribe: (group, topics, deliver) => broker.subscribe(group, topics, deliver),
    consumerLag: (group) => broker.consumerLag(group),
    close: async () => undefined,
  };
}
