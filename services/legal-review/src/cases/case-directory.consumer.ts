import { Injectable } from '@nestjs/common';
import { Events, timestampDate, type recordingV1 } from '@enforcement/contracts';
import { OnEvent, type EventContext } from '@enforcement/events';
import { KnownCaseRepository } from './known-case.repository';

/** Keeps the cases' agency and region (CaseOpened), so that an agency head or a supervisor may send one to review. */
@Injectable()
export class CaseDirectoryConsumer {
  constructor(private readonly cases: KnownCaseRepository) {}

  @OnEvent(Events.CaseOpened)
  async onCaseOpened(event: recordingV1.CaseOpened, { manager }: EventContext): Promise<void> {
    if (!event.caseId || !event.agencyId || !event.regionCode) throw new Error('CaseOpened without case, agency or region');
    await this.cases.register(manager, {
      id: event.caseId,
      agencyId: event.agencyId,
      regionCode: event.regionCode,
      caseNumber: event.caseNumber,
      openedAt: event.openedAt ? timestampDate(event.openedAt) : new Date(),
    });
  }
}
