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
    // On every two-officer step, usually for one co-officer: a single INSERT is all or none without a transaction.
    if (rows.length <= 1) return this.spendIn(this.dataSource.manager, rows);
    let reused: string | undefined;
    await this.dataSource
      .transaction(async (manager) => {
        reused = await this.spendIn(manager, rows);
        // The rows before the spent one were written: undone with the transaction.
        if (reused !== undefined) throw ROLL_BACK;
      })
      .catch((error: unknown) => {
        if (error !== ROLL_BACK) throw error;
      });
    return reused;
  }

  /**
   * Records every proof as spent in the caller's transaction (all or none with it). Returns the key of a proof
   * already spent, or undefined. A proof another open transaction is spending waits for it: refused if it commits.
   */
  async spendIn(manager: EntityManager, rows: readonly CoOfficerProofEntity[]): Promise<string | undefined> {
    for (const row of rows) {
      try {
        await this.rows.insert(manager, row);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        return row.tokenKey;
      }
    }
    return undefined;
  }

  /** Forgets proofs whose tokens have expired: they are refused as expired from then on. */
  async forgetExpired(now: Date): Promise<void> {
    await this.dataSource.getRepository(CoOfficerProofEntity).delete({ expiresAt: LessThan(now) });
  }
}

const ROLL_BACK = Symbol('roll back');
