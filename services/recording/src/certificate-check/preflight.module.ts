import { Module } from '@nestjs/common';
import { PreflightController } from './preflight.controller';

@Module({ controllers: [PreflightController] })
export class PreflightModule {}
