import { Module } from '@nestjs/common';
import { AgencyDirectoryConsumer } from './agency-directory.consumer';
import { KnownAgencyRepository } from './known-agency.repository';

@Module({ providers: [AgencyDirectoryConsumer, KnownAgencyRepository] })
export class AgencyDirectoryModule {}
