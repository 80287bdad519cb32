import { Injectable, Logger } from '@nestjs/common';
import { Events, legalReviewV1, timestampDate } from '@enforcement/contracts';
import { OnEvent, type EventContext } from '@enforcement/events';
import { Case } from '../case-core/case';
import type { LegalReviewStatus } from '../case-core/case.types';
import { CaseRepository } from '../cases/case.repository';
import { CaseRecordRepository } from '../records/case-record.repository';
import { RecordAppenderService } from '../records/record-appender.service';
import { ReviewerQualificationRepository } from './reviewer-qualification.repository';

const OUTCOMES: Partial<Record<legalReviewV1.ReviewOutcome, LegalReviewStatus>> = {
  [legalReviewV1.ReviewOutcome.APPROVED]: 'approved',
  [legalReviewV1.ReviewOutcome.RETURNED]: 'returned',
  [legalReviewV1.ReviewOutcome.REJECTED]: 'rejected',
};

/**
 * The legal-review service's conclusion enters the case record and opens (or keeps shut) the gate on the
 * decision (Administrative Penalty Law Art. 58). The case changes its own state; this only translates.
 *
 * A conclusion holds for exactly the proposal it reviewed: its `proposalDigest` must be the hash of the case's
 * latest `legal-review` record, with no notice after it. A conclusion about an earlier proposal (the unit proposed
 * anew meanwhile), or one naming none, changes nothing: it is logged and dropped, and the gate stays as it is.
 *
 * Art. 58 para. 3: only a qualified reviewer concludes. The reviewer must be an officer of the case's agency who holds
 * the reviewer role in the certificate read model (certificates grants it only with a legal-review qualification and
 * withdraws it with it). A conclusion by anyone else is refused: it throws, so the dispatcher retries it (the read model
 * may lag behind the legal-review service by an event) and then dead-letters it, where operators see it; the case and
 * its chain do not change. The read model holds the reviewer's roles now, not their history: a qualification withdrawn
 * between the conclusion and its delivery refuses the conclusion too.
 */
@Injectable()
export class LegalReviewResultConsumer {
  private readonly logger = new Logger(LegalReviewResultConsumer.name);

  constructor(
    private readonly cases: CaseRepository,
    private readonly records: CaseRecordRepository,
    private readonly appender: RecordAppenderService,
    private readonly reviewers: ReviewerQualificationRepository,
  ) {}

  @OnEvent(Events.ReviewConcluded)
  async onReviewConcluded(event: legalReviewV1.ReviewConcluded, context: EventContext): Promise<void> {
    const status = OUTCOMES[event.outcome];
    if (!event.caseId || !event.reviewId || !status) throw new Error('ReviewConcluded without case, review or outcome');
    const found = await this.cases.findForChange(event.caseId, context);
    if (!found) throw new Error(`ReviewConcluded for unknown case ${event.caseId}`);
    await this.checkReviewer(event, found.agencyId, context);
    const proposal = await this.records.latestOfType(context, event.caseId, 'legal-review');
    const notice = await this.records.latestOfType(context, event.caseId, 'notice');
    // A notice after the proposal proposes anew (Case.stepRecorded): the conclusion is about a superseded proposal.
    const superseded = !!proposal && !!notice && notice.sequence > proposal.sequence;
    if (!proposal || !event.proposalDigest || proposal.hash !== event.proposalDigest || superseded) {
      this.logger.warn(`ReviewConcluded ${event.reviewId} of case ${event.caseId} is not about its current proposal; ignored`);
      return;
    }
    const reviewed = Case.restore(found);
    reviewed.legalReviewConcluded(status);
    await this.cases.saveChanges(context, reviewed.state, reviewed.pullChanges());
    await this.appender.appendSystemRecord(context, reviewed, {
      stepType: 'legal-review-result',
      occurredAt: event.concludedAt ? timestampDate(event.concludedAt) : undefined,
      recordedBy: event.reviewerOfficerId,
      fields: {
        reviewId: event.reviewId,
        outcome: status,
        round: event.round,
        proposalDigest: event.proposalDigest,
        possibleCrime: event.possibleCrime,
        // Art. 57: the catalog's conditions call for the leadership's collective decision (the procedure folds it).
        ...(event.collectiveDecisionRequired ? { collectiveDecisionRequired: true } : {}),
        ...(event.opinionSha256 ? { opinionObjectKey: event.opinionObjectKey, opinionSha256: event.opinionSha256 } : {}),
      },
      text: event.opinion,
    });
  }

  private async checkReviewer(event: legalReviewV1.ReviewConcluded, agencyId: string, context: EventContext): Promise<void> {
    const reviewer = event.reviewerOfficerId ? await this.reviewers.reviewer(event.reviewerOfficerId, context) : undefined;
    if (reviewer?.qualified && reviewer.agencyId === agencyId) return;
    const why = !reviewer ? 'is not a known officer' : !reviewer.qualified ? 'holds no legal-review qualification' : 'is of another agency';
    this.logger.error(`ReviewConcluded ${event.reviewId} of case ${event.caseId}: reviewer '${event.reviewerOfficerId}' ${why}; refused`);
    throw new Error(`REVIEWER_NOT_QUALIFIED: reviewer '${event.reviewerOfficerId}' of ReviewConcluded ${event.reviewId} ${why}`);
  }
}
