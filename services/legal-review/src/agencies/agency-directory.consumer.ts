import { Injectable } from '@nestjs/common';
import { Events, type certificatesV1 } from '@enforcement/contracts';
import { OnEvent, type EventContext } from '@enforcement/events';
import { KnownAgencyRepository } from './known-agency.repository';

/** Keeps the agencies' names (AgencyRegistered, a registration again overwrites) for the written opinions. */
@Injectable()
export class AgencyDirectoryConsumer {
  constructor(private readonly agencies: KnownAgencyRepository) {}

  @OnEvent(Events.AgencyRegistered)
  async onAgencyRegistered(event: certificatesV1.AgencyRegistered, { manager }: EventContext): Promise<void> {
    if (!event.agencyId || !event.name) throw new Error('AgencyRegistered without agency id or name');
    await this.agencies.register(manager, { id: event.agencyId, name: event.name, regionCode: event.regionCode, updatedAt: new Date() });
  }
}
