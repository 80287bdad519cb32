import { Module } from '@nestjs/common';
import { CatalogVersionRepository } from './catalog-version.repository';
import { CatalogController } from './catalog.controller';
import { CatalogService } from './catalog.service';

@Module({
  controllers: [CatalogController],
  providers: [CatalogVersionRepository, CatalogService],
  exports: [CatalogService],
})
export class CatalogModule {}
