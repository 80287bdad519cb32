import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional, type LoggerService } from '@nestjs/common';
import type { EntityManager, EntitySubscriberInterface, QueryRunner } from 'typeorm';
import {
  CERTIFICATE_CHECK_OPTIONS,
  resolveCertificateCheckOptions,
  type CertificateCheckModuleOptions,
  type ResolvedCertificateCheckOptions,
} from '../certificate-check.options';
import {
  CertificateIndex,
  certificateRecord,
  type CertificateFacts,
  type CertificateLookup,
  type CertificateRecord,
} from '../check/certificate-index';
import { CertificateReadModelRepository, type CertificatePosition } from './certificate-read-model.repository';
import type { KnownCertificateEntity } from './known-certificate.entity';

const PAGE_SIZE = 5000;
const FETCH_SIZE = 1000;

/**
 * The certificate read model in memory, so that the check on every officer action costs no I/O. It loads the
 * table at start, takes the changes this process's consumer commits as soon as they commit, and polls the table
 * for changes made by other replicas' consumers (only one replica of a consumer group gets each event), so
 * every replica converges within a poll interval.
 */
@Injectable()
export class CertificateDirectoryService implements OnModuleInit, OnModuleDestroy {
  private readonly options: ResolvedCertificateCheckOptions;
  private readonly logger: LoggerService;
  private readonly index = new CertificateIndex();
  /** Changes written in a transaction not yet committed, by the transaction's query runner. */
  private readonly pending = new WeakMap<QueryRunner, CertificateRecord[]>();
  /** Newest `updated_at` read from the table: polls resume from there, less the overlap. */
  private highWater: Date | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<number> | undefined;
  private running = false;
  private loaded = false;
  private changeAppliedAt: Date | undefined;
  private stopWatching: (() => void) | undefined;

  private readonly commitListener: Pick<EntitySubscriberInterface, 'afterTransactionCommit' | 'afterTransactionRollback'> = {
    afterTransactionCommit: ({ queryRunner }) => {
      // A savepoint released inside an outer transaction is not a commit yet.
      if (queryRunner.isTransactionActive) return;
      const records = this.pending.get(queryRunner);
      if (!records) return;
      this.pending.delete(queryRunner);
      this.apply(records);
    },
    afterTransactionRollback: ({ queryRunner }) => {
      // Whatever of it did commit (an inner savepoint cannot be told apart) arrives by polling.
      this.pending.delete(queryRunner);
    },
  };

  constructor(
    private readonly readModel: CertificateReadModelRepository,
    @Optional() @Inject(CERTIFICATE_CHECK_OPTIONS) options?: CertificateCheckModuleOptions,
    @Optional() logger?: LoggerService,
  ) {
    this.options = resolveCertificateCheckOptions(options);
    this.logger = logger ?? new Logger(CertificateDirectoryService.name);
  }

  /** The certificates as known now; what the checker reads. */
  get certificates(): CertificateLookup {
    return this.index;
  }

  get size(): number {
    return this.index.size;
  }

  /** When a change last reached the in-memory index (at commit or by polling); for tests measuring lag. */
  get lastChangeAppliedAt(): Date | undefined {
    return this.changeAppliedAt;
  }

  /** The version of a certificate held in memory, if any. */
  versionOf(certificateId: string): number | undefined {
    return this.index.get(certificateId)?.version;
  }

  async onModuleInit(): Promise<void> {
    await this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  /** Loads the table and starts following it. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.stopWatching = this.readModel.watchTransactions(this.commitListener);
    await this.pollNow();
    this.loaded = true;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.stopWatching?.();
    this.stopWatching = undefined;
    await this.inFlight?.catch(() => undefined);
  }

  /** Whether the table has been read once; before that every check would refuse. */
  get isLoaded(): boolean {
    return this.loaded;
  }

  /**
   * Queues a change written through `manager` for when its transaction commits; a rollback drops it. Called by
   * the consumer, inside the inbox transaction.
   */
  applyAfterCommit(manager: EntityManager, facts: CertificateFacts): void {
    const record = certificateRecord(facts);
    const queryRunner = manager.queryRunner;
    if (!queryRunner?.isTransactionActive) {
      this.apply([record]);
      return;
    }
    const records = this.pending.get(queryRunner);
    if (records) records.push(record);
    else this.pending.set(queryRunner, [record]);
  }

  /** Reads rows changed since the last poll (less the overlap) and applies the newer ones; the count applied. */
  pollNow(): Promise<number> {
    // One poll at a time: a timer tick and a test's call share the poll in flight.
    this.inFlight ??= this.poll().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async poll(): Promise<number> {
    // The first read takes every row; later ones look at the overlap window, where most rows are already held.
    if (!this.highWater) return this.scan(undefined, (rows) => this.apply(rows.map(certificateFactsOfRow).map(certificateRecord)));
    const since = new Date(this.highWater.getTime() - this.options.pollOverlapMs);
    return this.scan(since, (rows) => this.fetchNewer(rows), true);
  }

  /** Walks rows changed since `since` in (updated_at, id) order, a page at a time, advancing the high-water mark. */
  private async scan(
    since: Date | undefined,
    take: (rows: KnownCertificateEntity[]) => number | Promise<number>,
    keysOnly = false,
  ): Promise<number> {
    let applied = 0;
    let after: CertificatePosition | undefined;
    for (;;) {
      const rows = await this.readModel.changedCertificates({ since, after, limit: PAGE_SIZE, keysOnly });
      applied += await take(rows);
      const last = rows.at(-1);
      if (last) {
        after = { updatedAt: last.updatedAt, id: last.id };
        if (!this.highWater || last.updatedAt > this.highWater) this.highWater = last.updatedAt;
      }
      if (rows.length < PAGE_SIZE) return applied;
    }
  }

  /** Reads in full only the rows newer than what the index holds. */
  private async fetchNewer(seen: KnownCertificateEntity[]): Promise<number> {
    const ids = seen.filter((row) => row.version > (this.index.get(row.id)?.version ?? 0)).map((row) => row.id);
    let applied = 0;
    for (let i = 0; i < ids.length; i += FETCH_SIZE) {
      const rows = await this.readModel.certificatesById(ids.slice(i, i + FETCH_SIZE));
      applied += this.apply(rows.map(certificateFactsOfRow).map(certificateRecord));
    }
    return applied;
  }

  private schedule(): void {
    if (!this.running || this.options.pollIntervalMs === 0) return;
    this.timer = setTimeout(() => {
      this.pollNow()
        .catch((error: unknown) =>
          this.logger.warn(`certificate directory poll failed: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => this.schedule());
    }, this.options.pollIntervalMs);
    // Polling alone must not keep a process alive that is otherwise done.
    this.timer.unref();
  }

  private apply(records: readonly CertificateRecord[]): number {
    let applied = 0;
    for (const record of records) if (this.index.put(record)) applied++;
    if (applied > 0) this.changeAppliedAt = new Date();
    return applied;
  }
}

export function certificateFactsOfRow(row: KnownCertificateEntity): CertificateFacts {
  return {
    id: row.id,
    number: row.number,
    officerId: row.officerId,
    agencyId: row.agencyId,
    status: row.status,
    domains: row.domains,
    regionCodes: row.regionCodes,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    version: row.version,
  };
}
