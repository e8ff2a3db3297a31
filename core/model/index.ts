export * from './vocabulary.ts';
export * from './config.ts';
export * from './schemas.ts';
export * from './messages.ts';
export * from './summary.ts';
export * from './query.ts';
export * from './alert.ts';
export * from './unit-code.ts';
