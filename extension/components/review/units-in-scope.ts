import { observeDoc } from '../../../core/doc/observe.ts';
import type { UnitDossiers } from '../../../core/doc/index.ts';
import type { Workspace } from '../../../core/sync/index.ts';

/**
 * Every unit document in the user's scope, for the full-tab pages that read across units (the
 * review and the unit pictures). Units that join the directory later (an import, an admin) are
 * opened as they appear, as the background does for the overlay's index.
 */
export async function followUnits(ws: Workspace, onUnits: (units: Map<string, UnitDossiers>) => void): Promise<() => void> {
  const load = async () => {
    const codes = await ws.openUnits();
    onUnits(new Map(await Promise.all(codes.map(async (code) => [code, (await ws.unit(code)).dossiers] as const))));
  };
  await load();
  return observeDoc(ws.workspaceSynced.doc, () => void load().catch(() => undefined));
}
