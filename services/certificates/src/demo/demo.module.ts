import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module';
import { CertificatesModule } from '../certificates/certificates.module';
import { OfficersModule } from '../officers/officers.module';
import { DemoSeederService } from './demo-seeder.service';

@Module({ imports: [AgenciesModule, OfficersModule, CertificatesModule], providers: [DemoSeederService] })
export class DemoModule {}
