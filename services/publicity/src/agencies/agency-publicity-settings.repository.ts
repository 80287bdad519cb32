import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AgencyPublicitySettingsEntity } from './agency-publicity-settings.entity';

/** The agencies' own publication periods and small-fine amounts (agency_publicity_settings). */
@Injectable()
export class AgencyPublicitySettingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The agency's settings, or null while the platform's defaults apply. */
  byAgency(agencyId: string, manager: EntityManager = this.dataSource.manager): Promise<AgencyPublicitySettingsEntity | null> {
    return manager.findOneBy(AgencyPublicitySettingsEntity, { agencyId });
  }

  /** Sets the agency's settings, replacing the ones it had. */
  async save(settings: AgencyPublicitySettingsEntity): Promise<void> {
    await this.dataSource.manager.save(AgencyPublicitySettingsEntity, settings);
  }
}
