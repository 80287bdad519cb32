import { Module } from '@nestjs/common';
import { SERVICE_CONFIG } from '@enforcement/service-runtime';
import type { RecordingConfig } from '../config/recording-settings';
import { FieldCipher } from './field-cipher';

/** Provides the service's FieldCipher, keyed by the recording settings' `fieldEncryption` (FIELD_ENCRYPTION_KEY or the key file). */
@Module({
  providers: [
    {
      provide: FieldCipher,
      inject: [SERVICE_CONFIG],
      useFactory: (config: RecordingConfig) => FieldCipher.fromConfig(config.settings.fieldEncryption),
    },
  ],
  exports: [FieldCipher],
})
export class FieldCipherModule {}
