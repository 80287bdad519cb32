import type { DeliverFn, EventPublisher, EventSubscriber, WireMessage } from './event-transport';

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
    for (const message of messages) {
      for (const subscription of this.subscriptions) {
        if (subscription.topics.has(message.topic)) await subscription.deliver(message);
      }
    }
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
    close: async () => undefined,
  };
}
