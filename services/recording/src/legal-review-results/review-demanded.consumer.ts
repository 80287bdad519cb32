import { Injectable, Logger } from '@nestjs/common';
import { Events, type legalReviewV1 } from '@enforcement/contracts';
import { OnEvent, type EventContext } from '@enforcement/events';
import { Case } from '../case-core/case';
import { CaseRepository } from '../cases/case.repository';

/**
 * An agency head or a supervisor sent the case to legal review (ReviewDemanded, 118号): the case's decision now waits
 * for an approved review (Art. 58) like any major decision. The case changes its own state; this only translates.
 */
@Injectable()
export class ReviewDemandedConsumer {
  private readonly logger = new Logger(ReviewDemandedConsumer.name);

  constructor(private readonly cases: CaseRepository) {}

  @OnEvent(Events.ReviewDemanded)
  async onReviewDemanded(event: legalReviewV1.ReviewDemanded, context: EventContext): Promise<void> {
    if (!event.caseId || !event.demandedBy) throw new Error('ReviewDemanded without case or who demanded it');
    const found = await this.cases.find(event.caseId, context);
    if (!found) throw new Error(`ReviewDemanded for unknown case ${event.caseId}`);
    const demanded = Case.restore(found);
    if (!demanded.legalReviewDemanded()) {
      this.logger.log(`ReviewDemanded for case ${event.caseId}: already under review or decided; nothing changes`);
      return;
    }
    await this.cases.saveChanges(context, demanded.id, demanded.pullChanges());
  }
}
