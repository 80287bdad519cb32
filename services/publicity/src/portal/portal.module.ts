import { Module } from '@nestjs/common';
import { MerkleModule } from '../merkle/merkle.module';
import { PublicModule } from '../public/public.module';
import { DecisionFeedService } from './decision-feed.service';
import { PortalController } from './portal.controller';

@Module({
  imports: [PublicModule, MerkleModule],
  controllers: [PortalController],
  providers: [DecisionFeedService],
})
export class PortalModule {}
