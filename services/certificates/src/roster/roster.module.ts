import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module';
import { CertificatesModule } from '../certificates/certificates.module';
import { OfficersModule } from '../officers/officers.module';
import { RosterImportService } from './roster-import.service';
import { RosterController } from './roster.controller';

@Module({
  imports: [AgenciesModule, OfficersModule, CertificatesModule],
  controllers: [RosterController],
  providers: [RosterImportService],
})
export class RosterModule {}
