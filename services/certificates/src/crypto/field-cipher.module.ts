import { Module } from '@nestjs/common';
import { FieldCipher } from '@enforcement/field-cipher';
import { SERVICE_CONFIG } from '@enforcement/service-runtime';
import type { CertificatesConfig } from '../config/certificates-settings';

/**
 * Provides the certificates service's FieldCipher (officers' ID numbers at rest), keyed by its settings'
 * `fieldEncryption`: FIELD_ENCRYPTION_KEY or embedded mode's key file, and FIELD_ENCRYPTION_PREVIOUS_KEYS.
 */
@Module({
  providers: [
    {
      provide: FieldCipher,
      inject: [SERVICE_CONFIG],
      useFactory: (config: CertificatesConfig) => FieldCipher.fromConfig(config.settings.fieldEncryption),
    },
  ],
  exports: [FieldCipher],
})
export class FieldCipherModule {}
