import { Injectable } from '@nestjs/common';
import { EntityRows, isDuplicateKeyError } from '@enforcement/persistence';
import { DataSource, LessThan, type EntityManager } from 'typeorm';
import { IdempotencyKeyEntity } from './idempotency-key.entity';

/** Requests answered once under an Idempotency-Key (idempotency_keys). */
@Injectable()
export class IdempotencyKeyRepository {
  private readonly rows: EntityRows<IdempotencyKeyEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.rows = new EntityRows(dataSource, IdempotencyKeyEntity);
  }

  async find(keyHash: string): Promise<IdempotencyKeyEntity | null> {
    return this.dataSource.getRepository(IdempotencyKeyEntity).findOneBy({ keyHash });
  }

  /**
   * Keeps the key in the caller's transaction, with the statement after it in a batched one (COMMIT at the latest).
   * A key kept meanwhile by a twin request fails the transaction with `taken()`; a twin still open makes it wait.
   */
  async keepIn(manager: EntityManager, row: IdempotencyKeyEntity, taken: () => Error): Promise<void> {
    // MariaDB names the duplicate value; SQLite names the table.
    const own = (error: unknown) =>
      isDuplicateKeyError(error, row.keyHash) || isDuplicateKeyError(error, 'idempotency_keys.key_hash') ? taken() : undefined;
    await this.rows.insertLater(manager, row, own);
  }

  async forget(keyHash: string): Promise<void> {
    await this.dataSource.getRepository(IdempotencyKeyEntity).delete({ keyHash });
  }

  async forgetExpired(now: Date): Promise<void> {
    await this.dataSource.getRepository(IdempotencyKeyEntity).delete({ expiresAt: LessThan(now) });
  }
}
