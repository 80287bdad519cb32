import { Injectable } from '@nestjs/common';
import { EntityRows, isDuplicateKeyError } from '@enforcement/persistence';
import { DataSource, LessThan, type EntityManager } from 'typeorm';
import { CoOfficerProofEntity } from './co-officer-proof.entity';

/** Spent proof tokens (co_officer_proofs). */
@Injectable()
export class CoOfficerProofRepository {
  private readonly rows: EntityRows<CoOfficerProofEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.rows = new EntityRows(dataSource, CoOfficerProofEntity);
  }

  /**
   * Records every proof as spent, all or none. Returns the key of a proof already spent (nothing recorded then),
   * or undefined. The primary key decides between two replicas spending one token at the same moment.
   */
  async spend(rows: readonly CoOfficerProofEntity[]): Promise<string | undefined> {
    const spentAlready = (tokenKey: string) => new SpentAlready(tokenKey);
    try {
      // On every two-officer step, usually for one co-officer: a single INSERT is all or none without a transaction.
      if (rows.length <= 1) await this.spendIn(this.dataSource.manager, rows, spentAlready);
      // The rows before the spent one were written: undone with the transaction.
      else await this.dataSource.transaction((manager) => this.spendIn(manager, rows, spentAlready));
      return undefined;
    } catch (error) {
      if (error instanceof SpentAlready) return error.tokenKey;
      throw error;
    }
  }

  /**
   * Records every proof as spent in the caller's transaction (all or none with it). A proof already spent fails
   * the transaction with `reused(its key)`: at once, or, in a batched transaction, from the statement its insert
   * rides with (the transaction's next one). A proof another open transaction is spending waits for it: refused
   * if that one commits.
   */
  async spendIn(manager: EntityManager, rows: readonly CoOfficerProofEntity[], reused: (tokenKey: string) => Error): Promise<void> {
    for (const row of rows) {
      // MariaDB names the duplicate value, which tells two proofs in one batch apart; SQLite runs each at once.
      const own = (error: unknown) =>
        isDuplicateKeyError(error, row.tokenKey) || isDuplicateKeyError(error, 'co_officer_proofs.token_key')
          ? reused(row.tokenKey)
          : undefined;
      await this.rows.insertLater(manager, row, own);
    }
  }

  /** Sends the statements waiting in a batched transaction (the proofs' inserts) with a read, so their failures show now. */
  async sendWaitingIn(manager: EntityManager): Promise<void> {
    await manager.query('SELECT 1');
  }

  /** Forgets proofs whose tokens have expired: they are refused as expired from then on. */
  async forgetExpired(now: Date): Promise<void> {
    await this.dataSource.getRepository(CoOfficerProofEntity).delete({ expiresAt: LessThan(now) });
  }
}

/** A proof found spent by spend(): ends its transaction, then says which. */
class SpentAlready extends Error {
  constructor(readonly tokenKey: string) {
    super(`co-officer proof ${tokenKey} already spent`);
  }
}
