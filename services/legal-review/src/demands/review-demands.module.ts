import { Module } from '@nestjs/common';
import { CaseDirectoryConsumer } from '../cases/case-directory.consumer';
import { CatalogModule } from '../catalog/catalog.module';
import { PenaltyNotifiedConsumer } from './penalty-notified.consumer';
import { ReviewDemandsController } from './review-demands.controller';
import { ReviewDemandsService } from './review-demands.service';

@Module({
  imports: [CatalogModule],
  controllers: [ReviewDemandsController],
  providers: [ReviewDemandsService, CaseDirectoryConsumer, PenaltyNotifiedConsumer],
})
export class ReviewDemandsModule {}
