import { Injectable, Logger } from '@nestjs/common';
import { Events, timestampDate, type legalReviewV1 } from '@enforcement/contracts';
import { OnEvent, type EventContext } from '@enforcement/events';
import { Case } from '../case-core/case';
import { LEGAL_REVIEW_DEMAND } from '../case-core/case-status';
import { CaseRepository } from '../cases/case.repository';
import { RecordAppenderService } from '../records/record-appender.service';

/**
 * An agency head or a supervisor sent the case to legal review (ReviewDemanded, 118号): the case's decision now waits
 * for an approved review (Art. 58) like any major decision. The case changes its own state; this only translates.
 * The demand enters the case's chain as a record of its own (LEGAL_REVIEW_DEMAND), so the changed legal-review status
 * rests on a record, as every other change of the case does, and verification can recompute it.
 */
@Injectable()
export class ReviewDemandedConsumer {
  private readonly logger = new Logger(ReviewDemandedConsumer.name);

  constructor(
    private readonly cases: CaseRepository,
    private readonly appender: RecordAppenderService,
  ) {}

  @OnEvent(Events.ReviewDemanded)
  async onReviewDemanded(event: legalReviewV1.ReviewDemanded, context: EventContext): Promise<void> {
    if (!event.caseId || !event.demandedBy) throw new Error('ReviewDemanded without case or who demanded it');
    const found = await this.cases.findForChange(event.caseId, context);
    if (!found) throw new Error(`ReviewDemanded for unknown case ${event.caseId}`);
    const demanded = Case.restore(found);
    if (!demanded.legalReviewDemanded()) {
      this.logger.log(`ReviewDemanded for case ${event.caseId}: already under review or decided; nothing changes`);
      return;
    }
    await this.cases.saveChanges(context, demanded.state, demanded.pullChanges());
    await this.appender.appendSystemRecord(context, demanded, {
      stepType: LEGAL_REVIEW_DEMAND,
      occurredAt: event.demandedAt ? timestampDate(event.demandedAt) : undefined,
      recordedBy: event.demandedBy,
      fields: { demandedBy: event.demandedBy },
      text: event.reason,
    });
  }
}
