export * from './lib/kafka-broker';
export * from './lib/mariadb';
export * from './lib/s3-server';
export * from './lib/shared-infra';
export * from './lib/eventually';
export * from './lib/infra/local-infra';
export { freePort } from './lib/infra/daemon';
