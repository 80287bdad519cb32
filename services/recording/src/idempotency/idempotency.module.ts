import { Module } from '@nestjs/common';
import { IdempotencyKeys1764900001000 } from '../migrations/1764900001000-idempotency-keys';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { IdempotencyKeyRepository } from './idempotency-key.repository';
import { IdempotencyService } from './idempotency.service';

export const IDEMPOTENCY_ENTITIES = [IdempotencyKeyEntity];
export const IDEMPOTENCY_MIGRATIONS = [IdempotencyKeys1764900001000];

/** Idempotency-Key on the service's writes: a request sent again is answered with what the first one created. */
@Module({
  providers: [IdempotencyKeyRepository, IdempotencyService],
  exports: [IdempotencyService],
})
export class IdempotencyModule {}
