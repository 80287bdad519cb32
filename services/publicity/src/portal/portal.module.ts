import { Module } from '@nestjs/common';
import { MerkleModule } from '../merkle/merkle.module';
import { PublicModule } from '../public/public.module';
import { DecisionFeed } from './decision-feed.service';
import { PortalController } from './portal.controller';

@Module({
  imports: [PublicModule, MerkleModule],
  controllers: [PortalController],
  providers: [DecisionFeed],
})
export class PortalModule {}
