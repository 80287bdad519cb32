import { Module } from '@nestjs/common';
import { FieldCipher } from '@enforcement/field-cipher';
import { SERVICE_CONFIG } from '@enforcement/service-runtime';
import type { RecordingConfig } from '../config/recording-settings';

/** Provides the service's FieldCipher, keyed by the recording settings' `fieldEncryption` (FIELD_ENCRYPTION_KEY or the key file, and FIELD_ENCRYPTION_PREVIOUS_KEYS). */
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
