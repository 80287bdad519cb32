import { Module } from '@nestjs/common';
import { FieldCipherModule } from '../crypto/field-cipher.module';
import { OfficersController } from './officers.controller';
import { OfficersService } from './officers.service';

@Module({ imports: [FieldCipherModule], controllers: [OfficersController], providers: [OfficersService], exports: [OfficersService] })
export class OfficersModule {}
