// The commission's workflows (docs/workflows.md). reply-word.ts (the Word letter, which loads
// `docx`) is imported on its own where a Word file is made.
export * from './clue-flow.ts';
export * from './card-flow.ts';
export * from './card-report.ts';
export * from './register-schemas.ts';
export * from './approval.ts';
export * from './citations.ts';
export * from './reply-draft.ts';
export * from './reply-letter.ts';
