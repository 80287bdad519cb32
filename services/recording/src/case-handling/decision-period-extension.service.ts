import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import { Case } from '../case-core/case';
import type { PendingExtension } from '../case-core/case-course';
import type { CaseRecord } from '../case-core/case.types';
import { courseFactsOf } from '../case-core/course-facts';
import { checkExtensionApproval, EXTENSION_APPROVAL_STEP } from '../case-core/decision-period';
import { CaseAccessService } from '../cases/case-access.service';
import { RecordAppenderService } from '../records/record-appender.service';
import { CaseUnitOfWorkService } from './case-unit-of-work.service';

/**
 * Art. 60: the decision period is extended only with the approval of the agency's head (负责人批准). The officers'
 * `decision-period-extension` step is the request; the head (the agency's administrator acts for the head, as for
 * audio/video gaps) approves it in a record of its own, and only that record moves `decision-90d`
 * (DeadlinePolicy). A supervisor of another agency does not qualify: the article names the agency's own head.
 */
@Injectable()
export class DecisionPeriodExtensionService {
  constructor(
    private readonly unitOfWork: CaseUnitOfWorkService,
    private readonly access: CaseAccessService,
    private readonly appender: RecordAppenderService,
  ) {}

  /** The request waiting for the head, if any, and whether the period was extended. */
  async status(caseId: string, user: AuthenticatedUser): Promise<{ pending: PendingExtension | null; extended: boolean }> {
    // A case whose state predates the requests is folded from its record first, which reads inside a transaction.
    return this.unitOfWork.run(async (tx) => {
      const state = await this.appender.withProcedureState(tx, Case.restore(await this.access.forReading(user, caseId, tx)));
      return { pending: state.pendingDecisionPeriodExtension ?? null, extended: state.course?.decisionPeriodExtended ?? false };
    });
  }

  async approve(caseId: string, comment: string, user: AuthenticatedUser): Promise<CaseRecord> {
    return this.unitOfWork.run(async (tx) => {
      // The case's own agency only (CASE_SCOPE otherwise); the controller lets agency administrators alone through.
      const found = await this.access.forAction(user, caseId, tx);
      const aggregate = Case.restore(found);
      const state = await this.appender.withProcedureState(tx, aggregate);
      const pending = checkExtensionApproval(
        courseFactsOf({ status: found.status, legalReviewStatus: found.legalReviewStatus, state }),
        user.userId,
      );
      return this.appender.appendSystemRecord(tx, aggregate, {
        stepType: EXTENSION_APPROVAL_STEP,
        recordedBy: user.userId,
        fields: { extensionRecordId: pending.recordId, approverRole: 'agency-head' },
        text: comment,
      });
    });
  }
}
