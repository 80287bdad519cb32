import { Module } from '@nestjs/common';
import { AgencyDirectoryConsumer } from './agency-directory.consumer';

@Module({ providers: [AgencyDirectoryConsumer] })
export class AgencyDirectoryModule {}
