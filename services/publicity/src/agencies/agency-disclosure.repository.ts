import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AgencyDisclosureEntity, type AgencyDisclosureContent, type AgencyDisclosureSection } from './agency-disclosure.entity';

/** What the agencies publish before enforcement, one row per section (agency_disclosures). */
@Injectable()
export class AgencyDisclosureRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Writes the section's content as its next version (the first when there is none). */
  saveVersion(
    agencyId: string,
    section: AgencyDisclosureSection,
    content: AgencyDisclosureContent,
    updatedBy: string,
    updatedAt: Date,
  ): Promise<AgencyDisclosureEntity> {
    return this.dataSource.transaction(async (manager) => {
      const held = await manager.findOneBy(AgencyDisclosureEntity, { agencyId, section });
      const row: AgencyDisclosureEntity = { agencyId, section, content, version: (held?.version ?? 0) + 1, updatedBy, updatedAt };
      await manager.save(AgencyDisclosureEntity, row);
      return row;
    });
  }
}
