export * from './lib/resident-id';
export * from './lib/credit-code';
