import { Module } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@enforcement/service-runtime';
import { FieldCipher } from './field-cipher';

/** Provides the service's FieldCipher, keyed by `ServiceConfig.fieldEncryption` (FIELD_ENCRYPTION_KEY or the key file). */
@Module({
  providers: [
    {
      provide: FieldCipher,
      inject: [SERVICE_CONFIG],
      useFactory: (config: ServiceConfig) => FieldCipher.fromConfig(config.fieldEncryption),
    },
  ],
  exports: [FieldCipher],
})
export class FieldCipherModule {}
