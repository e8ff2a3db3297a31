import type { WorkspaceTarget } from '../../../core/import/index.ts';
import { watchDoc } from '../../lib/reactive-doc.svelte.ts';

/**
 * `read()`, re-run whenever the workspace document or any unit document the import target has open
 * changes (an import here, a colleague's edit, an undo synced from elsewhere). A new unit appears
 * in the directory (the workspace document) before its document is opened, so tracking the
 * workspace document is enough to pick up units opened later.
 */
export function watchTarget<T>(target: WorkspaceTarget, read: () => T): T {
  return watchDoc([target.workspace.doc, ...target.unitCodes().map((code) => target.unit(code).doc)], read);
}
