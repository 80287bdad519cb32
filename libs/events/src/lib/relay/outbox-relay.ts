import type { LoggerService } from '@nestjs/common';
import { IsNull, LessThan, type DataSource } from 'typeorm';
import { Lease } from '../lease/lease';
import { NO_EVENT_METRICS, type EventMetrics } from '../metrics/event-metrics';
import { OutboxEventEntity } from '../outbox/outbox-event.entity';
import { outboxRowHeaders } from '../outbox/transactional-outbox';
import type { EventPublisher } from '../transport/event-transport';

export interface OutboxRelayOptions {
  /** Lease name (the service's name): one relay per service database at a time. */
  name: string;
  batchSize: number;
  /** Fallback polling when nobody nudges (e.g. rows written by another replica). */
  pollIntervalMs: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  leaseTtlMs: number;
  /** Sent rows older than this are deleted; 0 keeps them forever. */
  retentionMs: number;
}

export const DEFAULT_RELAY_OPTIONS: Omit<OutboxRelayOptions, 'name'> = {
  batchSize: 500,
  pollIntervalMs: 500,
  initialBackoffMs: 200,
  maxBackoffMs: 30_000,
  leaseTtlMs: 15_000,
  retentionMs: 7 * 24 * 3600 * 1000,
};

interface RawPendingRow {
  id: string | number;
  eventId: string;
  eventType: string;
  topic: string;
  partitionKey: string;
  payload: Buffer;
  attempts: number | string;
  traceParent: string | null;
}

type PendingRow = Omit<RawPendingRow, 'id' | 'attempts'> & { id: string; attempts: number };

export interface RelayStatus {
  pending: number;
  oldestPendingAt: Date | null;
  lastError: string | null;
  consecutiveFailures: number;
}

/**
 * Publishes committed outbox rows in insertion order and marks them sent only after the transport
 * acknowledged them. A failed batch is retried, with exponential backoff, before anything after it,
 * so the events of one partition key never overtake each other. Delivery is at least once; consumers'
 * inboxes make it effectively once.
 */
export class OutboxRelay {
  private readonly lease: Lease;
  private stopped = true;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private nudged = false;
  private consecutiveFailures = 0;
  private lastError: string | null = null;
  private lastPurge = 0;
  /** When this relay last took or renewed its lease (its clock, read before asking), 0 when it does not hold it. */
  private leaseRenewedAt = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly options: OutboxRelayOptions,
    private readonly logger: LoggerService,
    private readonly metrics: EventMetrics = NO_EVENT_METRICS,
  ) {
    this.lease = new Lease(dataSource, options.name, options.leaseTtlMs);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    // The next replica takes over on its next poll instead of waiting out the lease.
    this.leaseRenewedAt = 0;
    await this.lease.release().catch(() => undefined);
  }

  /** Called after a commit that staged events, so they leave without waiting for the next poll. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  /**
   * Publishes everything pending now; returns how many events were sent. Throws on a failed batch.
   *
   * Batches are published strictly one after another, so order per key holds, but the database work
   * around them overlaps: the next batch is read while this one is published, and a published batch
   * is marked sent while the next one goes out. A crash can therefore re-send at most the batches not
   * yet marked, which consumers' inboxes drop as duplicates.
   */
  async drain(): Promise<number> {
    if (!(await this.holdLease())) return 0;
    let sent = 0;
    let marking: Promise<void> = Promise.resolve();
    let cursor: string | null = null;
    let next = this.fetchPending(cursor);
    try {
      for (;;) {
        const rows = await next;
        if (rows.length === 0) {
          await marking;
          // A final pass from the start catches rows that committed late with lower ids than the cursor.
          if (cursor === null) break;
          cursor = null;
          next = this.fetchPending(cursor);
          continue;
        }
        cursor = rows[rows.length - 1].id;
        next = rows.length < this.options.batchSize ? Promise.resolve([]) : this.fetchPending(cursor);
        // The prefetch may fail while this batch is published; it is awaited (and so reported) next turn.
        next.catch(() => undefined);
        await this.publishBatch(rows);
        const ids = rows.map((row) => row.id);
        marking = marking.then(() => this.markSent(ids));
        sent += rows.length;
        // Another replica took over (we were paused past the lease): stop, so one key's events never interleave.
        if (!(await this.holdLease())) break;
      }
    } finally {
      await marking;
    }
    await this.purgeSent();
    return sent;
  }

  /**
   * Whether this relay holds the lease, renewing it when it was last renewed a third of its TTL ago or more. Within
   * that third it is still ours for two thirds of the TTL at least (the time is read before the statement is sent),
   * so a relay draining after every commit renews it a few times a TTL, not once per drain.
   */
  private async holdLease(): Promise<boolean> {
    if (this.leaseRenewedAt > 0 && Date.now() - this.leaseRenewedAt < this.options.leaseTtlMs / 3) return true;
    const asked = Date.now();
    this.leaseRenewedAt = 0;
    if (!(await this.lease.acquire())) return false;
    this.leaseRenewedAt = asked;
    return true;
  }

  private async fetchPending(afterId: string | null): Promise<PendingRow[]> {
    const query = this.dataSource
      .getRepository(OutboxEventEntity)
      .createQueryBuilder('o')
      .select([
        'o.id AS id',
        'o.event_id AS eventId',
        'o.event_type AS eventType',
        'o.topic AS topic',
        'o.partition_key AS partitionKey',
        'o.payload AS payload',
        'o.attempts AS attempts',
        'o.trace_parent AS traceParent',
      ])
      .where('o.sent_at IS NULL');
    if (afterId !== null) query.andWhere('o.id > :afterId', { afterId });
    const rows = await query.orderBy('o.id', 'ASC').limit(this.options.batchSize).getRawMany<RawPendingRow>();
    // MySQL returns BIGINT ids as strings and SQLite as numbers; compare and pass them as strings.
    return rows.map((row) => ({ ...row, id: String(row.id), attempts: Number(row.attempts) }));
  }

  private async publishBatch(rows: PendingRow[]): Promise<void> {
    try {
      await this.publisher.publish(
        rows.map((row) => ({ topic: row.topic, key: row.partitionKey, value: row.payload, headers: outboxRowHeaders(row) })),
      );
    } catch (error) {
      for (const topic of new Set(rows.map((row) => row.topic))) this.metrics.relayFailed(topic);
      const message = error instanceof Error ? error.message : String(error);
      await this.dataSource
        .getRepository(OutboxEventEntity)
        .update({ id: rows[0].id }, { attempts: rows[0].attempts + 1, lastError: message.slice(0, 2000) })
        .catch(() => undefined);
      throw error;
    }
    const published = new Map<string, number>();
    for (const row of rows) published.set(row.topic, (published.get(row.topic) ?? 0) + 1);
    for (const [topic, count] of published) this.metrics.relayed(topic, count);
  }

  private async markSent(ids: string[]): Promise<void> {
    await this.dataSource
      .getRepository(OutboxEventEntity)
      .createQueryBuilder()
      .update()
      .set({ sentAt: new Date() })
      .where('id IN (:...ids)', { ids })
      .execute();
  }

  async status(): Promise<RelayStatus> {
    const repository = this.dataSource.getRepository(OutboxEventEntity);
    const [oldest, pending] = await Promise.all([
      repository.findOne({ where: { sentAt: IsNull() }, order: { id: 'ASC' } }),
      repository.count({ where: { sentAt: IsNull() } }),
    ]);
    return {
      pending,
      oldestPendingAt: oldest?.createdAt ?? null,
      lastError: this.lastError,
      consecutiveFailures: this.consecutiveFailures,
    };
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let delay = this.options.pollIntervalMs;
      this.nudged = false;
      try {
        await this.drain();
        this.consecutiveFailures = 0;
        this.lastError = null;
      } catch (error) {
        this.consecutiveFailures++;
        this.lastError = error instanceof Error ? error.message : String(error);
        delay = Math.min(this.options.maxBackoffMs, this.options.initialBackoffMs * 2 ** (this.consecutiveFailures - 1));
        this.logger.warn?.(
          `outbox relay ${this.options.name}: publish failed ${this.consecutiveFailures}x, retrying in ${delay} ms: ${this.lastError}`,
          'OutboxRelay',
        );
      }
      if (this.stopped) break;
      // A nudge during a healthy drain means new rows: go again at once. During backoff, wait it out.
      if (this.nudged && this.consecutiveFailures === 0) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private async purgeSent(): Promise<void> {
    const now = Date.now();
    if (this.options.retentionMs <= 0 || now - this.lastPurge < 3600_000) return;
    this.lastPurge = now;
    await this.dataSource.getRepository(OutboxEventEntity).delete({ sentAt: LessThan(new Date(now - this.options.retentionMs)) });
  }
}
