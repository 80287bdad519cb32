export * from './lib/data-source.factory';
export * from './lib/migration-columns';
export * from './lib/transient-errors';
export * from './lib/persistence.module';
export * from './lib/entity-rows';
export * from './lib/batched-transaction';
export * from './lib/duplicate-key';
