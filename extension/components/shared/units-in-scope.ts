import { observeDoc } from '../../../core/doc/observe.ts';
import type { UnitDossiers } from '../../../core/doc/index.ts';
import type { Authors, Workspace } from '../../../core/sync/index.ts';
import { openConnectionWorkspace } from '../../lib/connection-workspace.ts';

/**
 * Every unit document in the user's scope, for the full-tab pages that read across units (the
 * review and the unit pictures). Units that join the directory later (an import, an admin) are
 * opened as they appear, as the background does for the overlay's index.
 */
async function followUnits(
  ws: Workspace,
  onUnits: (units: Map<string, UnitDossiers>, authors: Map<string, Authors>) => void,
): Promise<() => void> {
  const load = async () => {
    const codes = await ws.openUnits();
    const open = await Promise.all(codes.map(async (code) => [code, await ws.unit(code)] as const));
    onUnits(
      new Map(open.map(([code, u]) => [code, u.dossiers])),
      new Map(open.map(([code, u]) => [code, u.synced.authors])),
    );
  };
  await load();
  return observeDoc(ws.workspaceSynced.doc, () => void load().catch(() => undefined));
}

/**
 * Opens the enrolled workspace with every unit in scope for a full-tab page. `onChange` gets the
 * open unit documents whenever one is added or any dossier changes (the index moved), with who
 * wrote what in each (core/sync/authors.ts); the page recomputes from the documents. Resolves once
 * the units present now are open.
 */
export async function openUnitsInScope(
  connection: Parameters<typeof openConnectionWorkspace>[0],
  onChange: (units: Map<string, UnitDossiers>, authors: Map<string, Authors>) => void,
): Promise<{ ws: Workspace; close: () => void }> {
  const ws = await openConnectionWorkspace(connection);
  let units = new Map<string, UnitDossiers>();
  let authors = new Map<string, Authors>();
  const stops = [ws.index.onChange(() => onChange(units, authors))];
  const close = () => {
    for (const stop of stops) stop();
    void ws.close();
  };
  try {
    stops.push(
      await followUnits(ws, (open, written) => {
        units = open;
        authors = written;
        onChange(units, authors);
      }),
    );
  } catch (e) {
    close();
    throw e;
  }
  return { ws, close };
}
