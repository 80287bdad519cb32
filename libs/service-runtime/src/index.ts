export * from './lib/config/service-config';
export * from './lib/http/api-error';
export * from './lib/http/api-error.filter';
export * from './lib/http/validation';
export * from './lib/runtime.module';
export * from './lib/storage.module';
export * from './lib/start-service';
export * from './lib/logging/service-logger';
