/** One event as it travels on a topic: the encoded envelope plus routing data. */
export interface WireMessage {
  topic: string;
  key: string;
  value: Uint8Array;
  headers: Record<string, string>;
}

/** Sends events; resolves only once the transport has durably accepted every message, in order. */
export interface EventPublisher {
  publish(messages: readonly WireMessage[]): Promise<void>;
  /** Throws when the transport cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Delivers one message to a consumer group. Resolving means the message is done with (handled or
 * dead-lettered); rejecting means "not now": the transport must deliver it again later.
 */
export type DeliverFn = (message: WireMessage) => Promise<void>;

/** Events of one partition not yet consumed by a group. */
export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

export interface EventSubscriber {
  subscribe(group: string, topics: readonly string[], deliver: DeliverFn): Promise<void>;
  /** Per partition of the topics the group subscribed to here: what it has yet to consume. */
  consumerLag?(group: string): Promise<PartitionLag[]>;
  close(): Promise<void>;
}

export const EVENT_PUBLISHER = Symbol('EVENT_PUBLISHER');
export const EVENT_SUBSCRIBER = Symbol('EVENT_SUBSCRIBER');
