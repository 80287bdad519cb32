import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ReviewDemandEntity } from './review-demand.entity';

/** The demands that sent cases to review (review_demands): appended, never changed. */
@Injectable()
export class ReviewDemandRepository {
  async insert(manager: EntityManager, demand: ReviewDemandEntity): Promise<void> {
    await manager.insert(ReviewDemandEntity, demand);
  }
}
