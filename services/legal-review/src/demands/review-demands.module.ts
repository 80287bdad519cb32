import { Module } from '@nestjs/common';
import { CaseDirectoryConsumer } from '../cases/case-directory.consumer';
import { KnownCaseRepository } from '../cases/known-case.repository';
import { CatalogModule } from '../catalog/catalog.module';
import { PenaltyNotifiedConsumer } from './penalty-notified.consumer';
import { ReviewDemandRepository } from './review-demand.repository';
import { ReviewDemandsController } from './review-demands.controller';
import { ReviewDemandsService } from './review-demands.service';

@Module({
  imports: [CatalogModule],
  controllers: [ReviewDemandsController],
  providers: [KnownCaseRepository, ReviewDemandRepository, ReviewDemandsService, CaseDirectoryConsumer, PenaltyNotifiedConsumer],
})
export class ReviewDemandsModule {}
