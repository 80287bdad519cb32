export * from './lib/service-harness';
export * from './lib/service-basics';
