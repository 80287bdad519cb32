import { DynamicModule, Global, Inject, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { createObjectStorage, type ObjectStorage } from '@enforcement/storage';
import type { ServiceConfig } from './config/service-config';
import { OBJECT_STORAGE, SERVICE_CONFIG } from './tokens';

@Injectable()
class BucketInitializer implements OnModuleInit {
  constructor(@Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage) {}

  async onModuleInit(): Promise<void> {
    // First start creates the bucket or folder; afterwards this is a no-op.
    await this.storage.ensureBucket();
  }
}

/** Object storage for services that keep audio/video: MinIO when configured, local disk otherwise. */
@Global()
@Module({})
export class StorageModule {
  static forRoot(): DynamicModule {
    return {
      module: StorageModule,
      providers: [
        {
          provide: OBJECT_STORAGE,
          inject: [SERVICE_CONFIG],
          useFactory: (config: ServiceConfig) => createObjectStorage(config.storage),
        },
        BucketInitializer,
      ],
      exports: [OBJECT_STORAGE],
    };
  }
}
