export * from './confirmation.ts';
export * from './status.ts';
export * from './synced-doc.ts';
export * from './summaries.ts';
export * from './local-index.ts';
export * from './workspace.ts';
export * from './scope.ts';
export * from './index-cache.ts';
