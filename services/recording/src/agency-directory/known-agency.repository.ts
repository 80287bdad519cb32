import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TransactionScope } from '../case-core/ports';
import { managerOf } from '../cases/case.repository';
import { KnownAgencyEntity } from './known-agency.entity';

/** The agencies the certificates service registered (`known_agencies`), as this service learns them. */
@Injectable()
export class KnownAgencyRepository {
  constructor(private readonly dataSource: DataSource) {}

  async save(tx: TransactionScope, agency: KnownAgencyEntity): Promise<void> {
    await managerOf(this.dataSource, tx).upsert(KnownAgencyEntity, agency, ['id']);
  }
}
