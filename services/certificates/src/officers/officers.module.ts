import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module';
import { FieldCipherModule } from '../crypto/field-cipher.module';
import { OfficerRepository } from './officer.repository';
import { OfficersController } from './officers.controller';
import { OfficersService } from './officers.service';

@Module({
  imports: [FieldCipherModule, AgenciesModule],
  controllers: [OfficersController],
  providers: [OfficersService, OfficerRepository],
  exports: [OfficersService, OfficerRepository],
})
export class OfficersModule {}
