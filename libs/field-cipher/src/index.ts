export * from './lib/field-cipher';
export * from './lib/field-key-file';
export * from './lib/field-key-rotation';
export * from './lib/field-encryption-settings';
