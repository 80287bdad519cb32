import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module';
import { CertificatesModule } from '../certificates/certificates.module';
import { OfficersModule } from '../officers/officers.module';
import { DemoSeeder } from './demo-seeder';

@Module({ imports: [AgenciesModule, OfficersModule, CertificatesModule], providers: [DemoSeeder] })
export class DemoModule {}
