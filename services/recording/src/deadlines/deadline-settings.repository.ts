import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TransactionScope } from '../case-core/ports';
import { managerOf } from '../cases/case.repository';
import { AgencyDeadlineSettingsEntity } from './deadline-settings.entity';

/** Agencies' period settings (`agency_deadline_settings`) in TypeORM. */
@Injectable()
export class DeadlineSettingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async of(agencyId: string, tx?: TransactionScope): Promise<AgencyDeadlineSettingsEntity | undefined> {
    return (await managerOf(this.dataSource, tx).findOneBy(AgencyDeadlineSettingsEntity, { agencyId })) ?? undefined;
  }

  async save(settings: AgencyDeadlineSettingsEntity): Promise<void> {
    await this.dataSource.manager.upsert(AgencyDeadlineSettingsEntity, settings, ['agencyId']);
  }
}
