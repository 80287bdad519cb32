import { Injectable } from '@nestjs/common';
import { Events, type certificatesV1 } from '@enforcement/contracts';
import { OnEvent, type EventContext } from '@enforcement/events';
import { PublicAgencyRepository } from './public-agency.repository';

/** Keeps the agencies' public data (AgencyRegistered; a registration again overwrites) for the portal. */
@Injectable()
export class AgencyDirectoryConsumer {
  constructor(private readonly agencies: PublicAgencyRepository) {}

  @OnEvent(Events.AgencyRegistered)
  async onAgencyRegistered(event: certificatesV1.AgencyRegistered, { manager }: EventContext): Promise<void> {
    if (!event.agencyId || !event.name) throw new Error('AgencyRegistered without agency id or name');
    await this.agencies.register(manager, {
      id: event.agencyId,
      name: event.name,
      creditCode: event.creditCode,
      regionCode: event.regionCode,
      domains: [...event.domains],
      legalBasis: event.legalBasis,
      updatedAt: new Date(),
    });
  }
}
