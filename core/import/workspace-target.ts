import type { UnitDossiers } from '../doc/unit-doc.ts';
import { canWrite, canWriteSomeUnit } from '../sync/scope.ts';
import { SyncRefusedError } from '../sync/refusal.ts';
import type { SyncedDoc } from '../sync/synced-doc.ts';
import type { Workspace } from '../sync/workspace.ts';
import type { ImportTarget } from './apply.ts';
import type { ImportAccess, ImportPreview } from './prepare.ts';

/**
 * An open workspace (core/sync) as an import target: the CLI's (Node, in memory, online) and the
 * extension's import page (IndexedDB, possibly offline) share it. `applyImport` is synchronous, so
 * the unit documents an import writes are opened first with `ensureUnits`.
 *
 * Readiness and confirmation wait on core/sync's whenSynced/whenConfirmed, which reject with
 * SyncRefusedError when the server closes for good (expired token, no grant) or refuses the writes
 * (a viewer's token): an import that cannot succeed says so instead of waiting forever.
 *
 * Only the units the workspace has in scope are opened (`ws.inScope`: the token's grants, as GET
 * /whoami reported them or the token carries them, and any other scope the workspace was opened
 * with): a clerk whose token covers some units imports the rows of those, and `access` tells
 * `prepareImport` which rows are outside (see ImportAccess). Without grants, every unit is opened.
 */
export interface WorkspaceTarget extends ImportTarget {
  ensureUnits(codes: Iterable<string>): Promise<void>;
  /**
   * Resolves when the server has acknowledged every local change of every open document; rejects
   * with SyncRefusedError when it refused some of them.
   */
  confirmed(): Promise<void>;
}

export type Readiness = 'synced' | 'loaded';

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(what)), ms);
    }),
  ]);
}

/**
 * 'synced' waits until the server's copy is in (the CLI: it has no local copy, and writing on an
 * empty document would defeat idempotent re-imports). 'loaded' only waits for this device's copy
 * (the extension works offline; what it writes merges when it reconnects).
 */
export function ready(d: SyncedDoc, readiness: Readiness): Promise<void> {
  return readiness === 'synced' ? d.whenSynced() : d.whenLoaded;
}

/**
 * whenConfirmed only fails on a refusal that arrives while it waits; one that came before (the
 * server answers a write within milliseconds) would leave the change unconfirmed for good.
 */
export function confirmedOrRefused(d: SyncedDoc): Promise<void> {
  const { denied, unconfirmed } = d.status();
  if (denied !== undefined && unconfirmed > 0) return Promise.reject(new SyncRefusedError(d.name, 'denied', denied));
  return d.whenConfirmed();
}

export async function workspaceTarget(
  ws: Workspace,
  opts: { readiness: Readiness; timeoutMs?: number },
): Promise<WorkspaceTarget> {
  const timeout = opts.timeoutMs ?? 15_000;
  await withTimeout(
    ready(ws.workspaceSynced, opts.readiness),
    timeout,
    'the workspace document did not sync (check the server URL and the token)',
  );
  const units = new Map<string, UnitDossiers>();
  // Outside the scope, opening would only be refused (HTTP 403) or, offline, write where nothing syncs.
  const ensureUnits = async (codes: Iterable<string>) => {
    const wanted = [...new Set(codes)].filter((c) => c && !units.has(c) && ws.inScope(c));
    await Promise.all(
      wanted.map(async (code) => {
        const open = await ws.unit(code);
        await withTimeout(ready(open.synced, opts.readiness), timeout, `unit:${code} did not sync`);
        units.set(code, open.dossiers);
      }),
    );
  };
  await ensureUnits(ws.workspace.units.ids());
  const grants = ws.grants;
  const access: ImportAccess | undefined = grants && {
    canWrite: (docName) => canWrite(grants, docName),
    canWriteSomeUnit: () => canWriteSomeUnit(grants),
    rosterPartial: () => ws.workspace.units.ids().some((code) => !ws.inScope(code)),
  };
  return {
    workspace: ws.workspace,
    unit(code) {
      const u = units.get(code);
      if (!u)
        throw new Error(
          ws.inScope(code)
            ? `unit:${code} is not open; call ensureUnits first`
            : `unit:${code} is outside this token's access`,
        );
      return u;
    },
    unitCodes: () => [...units.keys()],
    ...(access ? { access } : {}),
    ensureUnits,
    confirmed: async () => {
      await Promise.all(ws.docs().map(confirmedOrRefused));
    },
  };
}

/** Documents a prepared import will write: every entity's unit, and for units the units themselves. */
export function unitsTouched(preview: Pick<ImportPreview, 'entities'>): string[] {
  return [
    ...new Set(preview.entities.map((e) => (e.doc === 'workspace' ? (e.value as { code: string }).code : e.doc))),
  ];
}
