import { dialectOf } from '@enforcement/persistence';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { LeaseEntity } from './lease.entity';

/** SQL for "now" and "now + ttl" on the database's clock, as UTC with milliseconds like TypeORM writes them. */
function databaseClock(dataSource: DataSource): { now: string; after: (ms: number) => string } {
  if (dialectOf(dataSource) === 'sqlite') {
    return {
      now: "strftime('%Y-%m-%d %H:%M:%f', 'now')",
      after: (ms) => `strftime('%Y-%m-%d %H:%M:%f', 'now', '+${(ms / 1000).toFixed(3)} seconds')`,
    };
  }
  return { now: 'UTC_TIMESTAMP(3)', after: (ms) => `(UTC_TIMESTAMP(3) + INTERVAL ${Math.round(ms) * 1000} MICROSECOND)` };
}

/**
 * A named lease in the service's own database: one owner at a time, and an owner that stops renewing loses
 * it ttlMs after its last renewal. Replicas of a service each hold their own Lease object (their own owner id)
 * on the same name. Expiry is reckoned on the database's clock, so replicas whose clocks drift still agree.
 *
 * Lives in libs/events, not libs/persistence: its table came with the event backbone's schema, which every
 * service already migrates, and the relay was its first user.
 */
export class Lease {
  private readonly clock: ReturnType<typeof databaseClock>;

  constructor(
    private readonly dataSource: DataSource,
    readonly name: string,
    readonly ttlMs: number,
    readonly owner: string = randomUUID(),
  ) {
    if (!Number.isInteger(ttlMs) || ttlMs <= 0) throw new Error(`lease ${name}: ttlMs must be a positive integer, got ${ttlMs}`);
    this.clock = databaseClock(dataSource);
  }

  /**
   * Takes the lease if it is free or expired, or extends it if this owner holds it. True: this owner holds it
   * for ttlMs from now. Of competitors racing for a free lease exactly one gets true (a conditional update, or
   * the first insert of the row). A competitor that does not get it costs two statements.
   */
  async acquire(): Promise<boolean> {
    const repository = this.dataSource.getRepository(LeaseEntity);
    const updated = await repository
      .createQueryBuilder()
      .update()
      .set({ owner: this.owner, expiresAt: () => this.clock.after(this.ttlMs) })
      // eslint-disable-next-line no-restricted-syntax -- the clock's own SQL expression (UTC_TIMESTAMP(3) or its SQLite form), no value
      .where(`name = :name AND (owner = :owner OR expires_at < ${this.clock.now})`, { name: this.name, owner: this.owner })
      .execute();
    if ((updated.affected ?? 0) > 0) return true;
    // Someone else's and not expired (or just taken): not ours.
    if (await repository.existsBy({ name: this.name })) return false;
    // No row yet: the first insert wins, the others are ignored.
    await repository
      .createQueryBuilder()
      .insert()
      .values({ name: this.name, owner: this.owner, expiresAt: () => this.clock.after(this.ttlMs) })
      .orIgnore()
      .execute();
    const row = await repository.findOne({ where: { name: this.name }, select: { name: true, owner: true } });
    return row?.owner === this.owner;
  }

  /** Gives the lease up at once (if this owner holds it), so another replica can take it on its next try. */
  async release(): Promise<void> {
    await this.dataSource
      .getRepository(LeaseEntity)
      .createQueryBuilder()
      .update()
      .set({ expiresAt: new Date(0) })
      .where('name = :name AND owner = :owner', { name: this.name, owner: this.owner })
      .execute();
  }
}
