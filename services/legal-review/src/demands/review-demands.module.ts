import { Module } from '@nestjs/common';
import { CaseDirectoryConsumer } from '../cases/case-directory.consumer';
import { ReviewDemandsController } from './review-demands.controller';
import { ReviewDemandsService } from './review-demands.service';

@Module({
  controllers: [ReviewDemandsController],
  providers: [ReviewDemandsService, CaseDirectoryConsumer],
})
export class ReviewDemandsModule {}
