import { createSubscriber } from 'svelte/reactivity';
import { today } from '../../core/dates.ts';
import { createRowStore, type RowSnapshot } from '../../core/analysis/row-store.ts';
import { unitRows } from '../../core/analysis/rows.ts';
import { QUERIES_DOC, type UnitDossiers } from '../../core/doc/index.ts';
import { derivedCanWrite, derivedRole } from '../../core/sync/access.ts';
import type { WorkspaceConfig } from '../../core/model/config.ts';
import type { Unit } from '../../core/model/schemas.ts';
import type { Workspace } from '../../core/sync/index.ts';
import { openUnitsInScope } from '../components/shared/units-in-scope.ts';
import { identityFromToken } from './identity.ts';
import { trackDoc } from './reactive-doc.svelte.ts';
import type { readConnection } from './settings.ts';

const UPDATE_MS = 250;

/** Who is looking (from the token: for naming who saved or printed, never for deciding access). */
export interface Me {
  user: string;
  name: string;
  /** May write the shared queries (core/sync/access.ts); the server decides in the end. */
  canShare: boolean;
}

/**
 * Every cadre and unit in the user's scope as rows (core/analysis/rows.ts), for the full-tab pages
 * that look across the city: search, analysis, alerts, the printable dossier. The page opens its
 * own workspace (like the review page) from this device's copies, so it works offline; the rows of
 * a unit are rebuilt when that unit's dossiers change (the local index says which), and read
 * reactively: a view that reads `city.rows` re-renders when any unit's rows change.
 */
export class CityRows {
  readonly ws: Workspace;
  readonly me: Me;
  readonly #store = createRowStore();
  // While a city loads, ninety-eight units arrive one by one: the views re-render at most every
  // UPDATE_MS (first change at once), not once per unit with every chart redrawn each time.
  readonly #track = createSubscriber((update) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = -Infinity;
    const off = this.#store.onChange(() => {
      if (timer !== undefined) return;
      timer = setTimeout(
        () => {
          timer = undefined;
          last = performance.now();
          update();
        },
        Math.max(0, last + UPDATE_MS - performance.now()),
      );
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  });
  #units = new Map<string, UnitDossiers>();
  readonly #stops: (() => void)[] = [];

  constructor(ws: Workspace, me: Me) {
    this.ws = ws;
    this.me = me;
    this.#stops.push(ws.index.onChange((codes) => codes.forEach((c) => this.#rebuild(c))));
  }

  get rows(): RowSnapshot {
    this.#track();
    return this.#store.snapshot();
  }

  /** The workspace configuration (vocabularies, grade scheme), reactive. */
  get config(): WorkspaceConfig {
    trackDoc(this.ws.workspaceSynced.doc);
    return this.ws.workspace.config.get().value;
  }

  /** Directory entries of the units in scope (whose documents are open), reactive. */
  get units(): Unit[] {
    this.#track();
    return this.#store.snapshot().units.flatMap((u) => {
      const e = this.ws.workspace.units.get(u.code);
      return e?.ok ? [e.value] : [];
    });
  }

  /** Follows the documents in scope: rows for units that joined, none for units that left. */
  setUnits(units: Map<string, UnitDossiers>): void {
    if (units === this.#units) return;
    this.#units = units;
    for (const code of this.#store.snapshot().units.map((u) => u.code)) if (!units.has(code)) this.#store.remove(code);
    for (const code of units.keys()) if (!this.#store.has(code)) this.#rebuild(code);
  }

  #rebuild(code: string): void {
    const dossiers = this.#units.get(code);
    if (!dossiers) return;
    const entry = this.ws.workspace.units.get(code);
    const unit = entry?.ok ? entry.value : undefined;
    this.#store.set(
      code,
      unitRows(dossiers, { asOf: today(), config: this.ws.workspace.config.get().value, unit, unitCode: code }),
    );
  }

  close(): void {
    for (const stop of this.#stops.splice(0)) stop();
  }
}

/** Opens the enrolled workspace with every unit in scope and keeps its rows. */
export async function openCityRows(
  connection: NonNullable<Awaited<ReturnType<typeof readConnection>>>,
): Promise<{ city: CityRows; close: () => void }> {
  let city: CityRows | undefined;
  let pending: Map<string, UnitDossiers> | undefined;
  const scope = await openUnitsInScope(connection, (units) => {
    if (city) city.setUnits(units);
    else pending = units;
  });
  const who = identityFromToken(connection.token);
  const grants = connection.grants ?? who?.grants ?? [];
  city = new CityRows(scope.ws, {
    user: who?.user ?? '',
    name: who?.name ?? '',
    canShare: derivedCanWrite(derivedRole(grants, QUERIES_DOC, who?.user)),
  });
  if (pending) city.setUnits(pending);
  const c = city;
  return {
    city: c,
    close: () => {
      c.close();
      scope.close();
    },
  };
}
