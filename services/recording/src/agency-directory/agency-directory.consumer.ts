import { Injectable } from '@nestjs/common';
import { Events, type certificatesV1 } from '@enforcement/contracts';
import { OnEvent, type EventContext } from '@enforcement/events';
import { KnownAgencyRepository } from './known-agency.repository';

@Injectable()
export class AgencyDirectoryConsumer {
  constructor(private readonly agencies: KnownAgencyRepository) {}

  @OnEvent(Events.AgencyRegistered)
  async onAgencyRegistered(event: certificatesV1.AgencyRegistered, context: EventContext): Promise<void> {
    if (!event.agencyId || !event.name) throw new Error('AgencyRegistered without agency id or name');
    const { agencyId: id, name, regionCode, domains } = event;
    await this.agencies.save(context, { id, name, regionCode, domains, updatedAt: new Date() });
  }
}
