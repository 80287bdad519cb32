import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import { regionCovers } from '@enforcement/certificates';
import { Events, timestampFromDate } from '@enforcement/contracts';
import { TransactionalOutbox } from '@enforcement/events';
import { randomUUID } from 'node:crypto';
import { KnownCaseRepository } from '../cases/known-case.repository';
import { reviewScope } from '../http/access';
import { LegalReviewError } from '../review-core/legal-review.error';
import type { ReviewDemandEntity } from './review-demand.entity';
import { ReviewDemandRepository } from './review-demand.repository';

/**
 * An agency head (agency-admin of the case's agency) or a supervisor of its region sends any case to legal review
 * (118号): the demand is kept and ReviewDemanded makes recording hold the decision until an approved review.
 */
@Injectable()
export class ReviewDemandsService {
  constructor(
    private readonly outbox: TransactionalOutbox,
    private readonly cases: KnownCaseRepository,
    private readonly demands: ReviewDemandRepository,
  ) {}

  async demand(caseId: string, reason: string, user: AuthenticatedUser): Promise<{ id: string; caseId: string; demandedAt: string }> {
    return this.outbox.run(async (tx) => {
      const known = await this.cases.byId(tx.manager, caseId);
      if (!known) throw new LegalReviewError('CASE_NOT_FOUND', '案件不存在或尚未同步', 'not-found');
      // An agency head acts for the own agency only; a supervisor for the cases of the own region.
      const asHead = user.roles.includes('agency-admin') && !!user.agencyId && user.agencyId === known.agencyId;
      const asSupervisor =
        user.roles.includes('supervisor') && !!user.supervisedRegionCode && regionCovers(user.supervisedRegionCode, known.regionCode);
      if (!asHead && !asSupervisor) throw reviewScope();
      const role = asHead ? 'agency-admin' : 'supervisor';
      const row: ReviewDemandEntity = {
        id: randomUUID(),
        caseId,
        agencyId: known.agencyId,
        demandedBy: user.userId,
        role,
        reason: reason.trim(),
        demandedAt: new Date(),
      };
      await this.demands.insert(tx.manager, row);
      await tx.emit(
        Events.ReviewDemanded,
        { caseId, agencyId: known.agencyId, demandedBy: user.userId, reason: row.reason, demandedAt: timestampFromDate(row.demandedAt) },
        { partitionKey: caseId, agencyId: known.agencyId, actingUserId: user.userId },
      );
      return { id: row.id, caseId, demandedAt: row.demandedAt.toISOString() };
    });
  }
}
