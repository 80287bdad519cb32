export * from './lib/service-harness';
export * from './lib/service-basics';
export * from './lib/endpoint-fuzz';
