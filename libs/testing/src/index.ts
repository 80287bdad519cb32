export * from './lib/kafka-mock';
export * from './lib/mariadb';
export * from './lib/s3-server';
export * from './lib/eventually';
