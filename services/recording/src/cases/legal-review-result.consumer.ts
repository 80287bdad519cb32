import { Injectable } from '@nestjs/common';
import { Events, legalReviewV1, timestampDate } from '@enforcement/contracts';
import { OnEvent, type EventContext } from '@enforcement/events';
import { RecordAppender } from '../records/record-appender';
import { CaseEntity, type LegalReviewStatus } from './case.entity';

const OUTCOMES: Partial<Record<legalReviewV1.ReviewOutcome, LegalReviewStatus>> = {
  [legalReviewV1.ReviewOutcome.APPROVED]: 'approved',
  [legalReviewV1.ReviewOutcome.RETURNED]: 'returned',
  [legalReviewV1.ReviewOutcome.REJECTED]: 'rejected',
};

/**
 * The legal-review service's conclusion enters the case record and opens (or keeps shut) the gate on the
 * decision (Administrative Penalty Law Art. 58).
 */
@Injectable()
export class LegalReviewResultConsumer {
  constructor(private readonly appender: RecordAppender) {}

  @OnEvent(Events.ReviewConcluded)
  async onReviewConcluded(event: legalReviewV1.ReviewConcluded, context: EventContext): Promise<void> {
    const status = OUTCOMES[event.outcome];
    if (!event.caseId || !event.reviewId || !status) throw new Error('ReviewConcluded without case, review or outcome');
    const caseRow = await context.manager.findOneBy(CaseEntity, { id: event.caseId });
    if (!caseRow) throw new Error(`ReviewConcluded for unknown case ${event.caseId}`);
    await context.manager.update(CaseEntity, { id: caseRow.id }, { legalReviewStatus: status });
    caseRow.legalReviewStatus = status;
    await this.appender.append(context, caseRow, {
      stepType: 'legal-review-result',
      occurredAt: event.concludedAt ? timestampDate(event.concludedAt) : new Date(),
      recordedBy: event.reviewerOfficerId,
      place: '',
      actingOfficerIds: event.reviewerOfficerId ? [event.reviewerOfficerId] : [],
      certificates: [],
      fields: { reviewId: event.reviewId, outcome: status },
      text: event.opinion,
      evidence: [],
    });
  }
}
