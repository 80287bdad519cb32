import { Module } from '@nestjs/common';
import { CertificatesModule } from '../certificates/certificates.module';
import { OfficersModule } from '../officers/officers.module';
import { StaffingController } from './staffing.controller';
import { StaffingService } from './staffing.service';

@Module({ imports: [OfficersModule, CertificatesModule], controllers: [StaffingController], providers: [StaffingService] })
export class StaffingModule {}
