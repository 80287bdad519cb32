import { Injectable } from '@nestjs/common';
import { Events, legalReviewV1, timestampDate } from '@enforcement/contracts';
import { OnEvent, type EventContext } from '@enforcement/events';
import { Case } from '../case-core/case';
import type { LegalReviewStatus } from '../case-core/case.types';
import { CaseRepository } from '../cases/case.repository';
import { RecordAppender } from '../records/record-appender';

const OUTCOMES: Partial<Record<legalReviewV1.ReviewOutcome, LegalReviewStatus>> = {
  [legalReviewV1.ReviewOutcome.APPROVED]: 'approved',
  [legalReviewV1.ReviewOutcome.RETURNED]: 'returned',
  [legalReviewV1.ReviewOutcome.REJECTED]: 'rejected',
};

/**
 * The legal-review service's conclusion enters the case record and opens (or keeps shut) the gate on the
 * decision (Administrative Penalty Law Art. 58). The case changes its own state; this only translates.
 */
@Injectable()
export class LegalReviewResultConsumer {
  constructor(
    private readonly cases: CaseRepository,
    private readonly appender: RecordAppender,
  ) {}

  @OnEvent(Events.ReviewConcluded)
  async onReviewConcluded(event: legalReviewV1.ReviewConcluded, context: EventContext): Promise<void> {
    const status = OUTCOMES[event.outcome];
    if (!event.caseId || !event.reviewId || !status) throw new Error('ReviewConcluded without case, review or outcome');
    const found = await this.cases.find(event.caseId, context);
    if (!found) throw new Error(`ReviewConcluded for unknown case ${event.caseId}`);
    const reviewed = Case.restore(found);
    reviewed.legalReviewConcluded(status);
    await this.cases.saveChanges(context, reviewed.id, reviewed.pullChanges());
    await this.appender.append(context, reviewed, {
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
