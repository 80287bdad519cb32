import { OutboxEventEntity, outboxRowHeaders, type EventPublisher, type OutboxRelayOptions } from '@enforcement/events';
import { IsNull, type DataSource } from 'typeorm';
import type { Drainer } from '../scenarios/relay-throughput.bench';

/** OutboxRelay.drain() step for step (lease, select, publish, mark sent), with a stopwatch on each step. */
export class ProfiledRelay implements Drainer {
  readonly phases = new Map<string, number>();
  private readonly owner = 'profiled';

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly options: OutboxRelayOptions,
  ) {}

  private async time<T>(phase: string, work: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    try {
      return await work();
    } finally {
      this.phases.set(phase, (this.phases.get(phase) ?? 0) + Number(process.hrtime.bigint() - started) / 1e6);
    }
  }

  readonly perDrain: Array<Record<string, number>> = [];

  async drain(): Promise<number> {
    const before = new Map(this.phases);
    try {
      return await this.drainOnce();
    } finally {
      this.perDrain.push(
        Object.fromEntries([...this.phases].map(([phase, ms]) => [phase, Math.round(ms - (before.get(phase) ?? 0))])),
      );
    }
  }

  private async drainOnce(): Promise<number> {
    await this.time('lease', () => this.acquireLease());
    let sent = 0;
    const repository = this.dataSource.getRepository(OutboxEventEntity);
    for (;;) {
      const rows = await this.time('select', () =>
        repository.find({ where: { sentAt: IsNull() }, order: { id: 'ASC' }, take: this.options.batchSize }),
      );
      if (rows.length === 0) break;
      await this.time('publish', () =>
        this.publisher.publish(
          rows.map((row) => ({ topic: row.topic, key: row.partitionKey, value: row.payload, headers: outboxRowHeaders(row) })),
        ),
      );
      await this.time('mark-sent', () =>
        repository
          .createQueryBuilder()
          .update()
          .set({ sentAt: new Date() })
          .whereInIds(rows.map((row) => row.id))
          .execute(),
      );
      sent += rows.length;
      if (rows.length < this.options.batchSize) break;
      await this.time('lease', () => this.acquireLease());
    }
    return sent;
  }

  private async acquireLease(): Promise<void> {
    const expiresAt = new Date(Date.now() + this.options.leaseTtlMs);
    await this.dataSource.query(
      'INSERT INTO relay_leases (name, owner, expires_at) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE owner = VALUES(owner), expires_at = VALUES(expires_at)',
      [this.options.name, this.owner, expiresAt],
    );
  }

  async stop(): Promise<void> {
    return undefined;
  }
}
