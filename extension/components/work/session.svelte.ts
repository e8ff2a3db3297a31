import type { UnitDossiers } from '../../../core/doc/index.ts';
import type { Person } from '../../../core/doc/writers.ts';
import type { WorkspaceConfig } from '../../../core/model/config.ts';
import type { Unit } from '../../../core/model/schemas.ts';
import { canWrite } from '../../../core/sync/scope.ts';
import type { Authors, Workspace } from '../../../core/sync/index.ts';
import { identityFromToken } from '../../lib/identity.ts';
import { watchDoc } from '../../lib/reactive-doc.svelte.ts';
import { readConnection, type Connection, type Grants } from '../../lib/settings.ts';
import { openUnitsInScope } from '../shared/units-in-scope.ts';

/**
 * What the full-tab workflow pages (reminder cards, clues, review) share: the enrolled workspace
 * with every unit document in scope, opened from this device's copies and kept live, who the user
 * is and what they may write. Reads are reactive through reactive-doc (no counters): a `$derived`
 * that reads `config`, `directory` or a unit's dossiers re-runs when the document changes.
 */
export class WorkSession {
  status = $state<'loading' | 'not-connected' | 'error' | 'ready'>('loading');
  error = $state('');
  ws = $state.raw<Workspace | undefined>();
  connection = $state.raw<(Connection & { grants?: Grants }) | undefined>();
  /** The unit documents in scope, by code (a new map when one is added). */
  units = $state.raw(new Map<string, UnitDossiers>());
  /** Who wrote what in each open unit document, from the server (core/sync/authors.ts). */
  authors = $state.raw(new Map<string, Authors>());
  #close: (() => void) | undefined;
  #closed = false;

  async open(): Promise<void> {
    const c = await readConnection();
    this.connection = c;
    if (!c) {
      this.status = 'not-connected';
      return;
    }
    try {
      const scope = await openUnitsInScope(c, (open, authors) => {
        if (open !== this.units) this.units = open;
        if (authors !== this.authors) this.authors = authors;
      });
      if (this.#closed) return scope.close();
      this.#close = scope.close;
      this.ws = scope.ws;
      this.status = 'ready';
    } catch (e) {
      this.error = (e as Error).message;
      this.status = 'error';
    }
  }

  close(): void {
    this.#closed = true;
    this.#close?.();
  }

  /** Who this device works as (from the token: for the interface; the server checks every write). */
  get me(): Person {
    const id = this.connection ? identityFromToken(this.connection.token) : undefined;
    return { user: id?.user ?? '', name: id?.name ?? '' };
  }

  get grants(): Grants {
    return (
      this.connection?.grants ?? (this.connection ? identityFromToken(this.connection.token)?.grants : undefined) ?? []
    );
  }

  canWrite(docName: string): boolean {
    return canWrite(this.grants, docName);
  }

  get config(): WorkspaceConfig | undefined {
    const ws = this.ws;
    return ws ? watchDoc(ws.workspaceSynced.doc, () => ws.workspace.config.get().value) : undefined;
  }

  /** Units whose document is open (the directory may list units outside the user's grants). */
  get directory(): Unit[] {
    const ws = this.ws;
    const open = this.units;
    if (!ws) return [];
    return watchDoc(ws.workspaceSynced.doc, () =>
      ws.workspace.units.list().flatMap((e) => (e.ok && open.has(e.value.code) ? [e.value] : [])),
    );
  }

  /** Reads across every open unit document, re-run when any of them changes. */
  acrossUnits<T>(read: (units: Map<string, UnitDossiers>) => T): T {
    const open = this.units;
    return watchDoc(
      [...open.values()].map((u) => u.doc),
      () => read(open),
    );
  }
}
