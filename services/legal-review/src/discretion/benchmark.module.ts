import { Module } from '@nestjs/common';
import { BenchmarkEntryRepository } from './benchmark-entry.repository';
import { BenchmarkController } from './benchmark.controller';
import { BenchmarkService } from './benchmark.service';

@Module({
  controllers: [BenchmarkController],
  providers: [BenchmarkEntryRepository, BenchmarkService],
  exports: [BenchmarkService],
})
export class BenchmarkModule {}
