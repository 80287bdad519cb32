import { Injectable } from '@nestjs/common';
import { DataSource, LessThan, QueryFailedError } from 'typeorm';
import { CoOfficerProofEntity } from './co-officer-proof.entity';

/** Spent proof tokens (co_officer_proofs). */
@Injectable()
export class CoOfficerProofRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records every proof as spent, all or none. Returns the key of a proof already spent (nothing recorded then),
   * or undefined. The primary key decides between two replicas spending one token at the same moment.
   */
  async spend(rows: CoOfficerProofEntity[]): Promise<string | undefined> {
    try {
      // One multi-row INSERT: atomic on its own, with no transaction's extra round trips on the step's path.
      await this.dataSource.getRepository(CoOfficerProofEntity).insert(rows);
      return undefined;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const spent = await this.dataSource
        .getRepository(CoOfficerProofEntity)
        .find({ select: { tokenKey: true }, where: rows.map((row) => ({ tokenKey: row.tokenKey })) });
      return spent[0]?.tokenKey ?? rows[0]?.tokenKey;
    }
  }

  /** Forgets proofs whose tokens have expired: they are refused as expired from then on. */
  async forgetExpired(now: Date): Promise<void> {
    await this.dataSource.getRepository(CoOfficerProofEntity).delete({ expiresAt: LessThan(now) });
  }
}

/** A unique key refused the row (MySQL/MariaDB ER_DUP_ENTRY, SQLite's constraint codes). */
function isDuplicateKey(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: unknown } | undefined)?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
