import { Module } from '@nestjs/common';
import { CertificatesModule } from '../certificates/certificates.module';
import { OfficersModule } from '../officers/officers.module';
import { RosterImportService } from './roster-import.service';
import { RosterController } from './roster.controller';

@Module({ imports: [OfficersModule, CertificatesModule], controllers: [RosterController], providers: [RosterImportService] })
export class RosterModule {}
