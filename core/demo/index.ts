export * from './random.ts';
export * from './names.ts';
export * from './city.ts';
export * from './files.ts';
export * from './load.ts';
export * from './workflows.ts';
