import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { unitDossiers, workspaceDoc, type UnitDossiers } from '../../core/doc/index.ts';
import type { ImportTarget } from '../../core/import/index.ts';

/** Helpers shared by the import tests: fixture bytes and an in-memory set of documents. */

export const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(join(import.meta.dirname, '../fixtures/imports', name)));

export const TODAY = '2024-06-30';

export interface MemoryTarget extends ImportTarget {
  docs: Map<string, Y.Doc>;
  snapshot(): Record<string, unknown>;
}

export function memoryTarget(): MemoryTarget {
  const docs = new Map<string, Y.Doc>();
  const units = new Map<string, UnitDossiers>();
  const ws = new Y.Doc();
  const workspace = workspaceDoc(ws, { now: () => '2024-06-30T08:00:00.000Z' });
  return {
    docs,
    workspace,
    unit(code) {
      let u = units.get(code);
      if (!u) {
        const doc = new Y.Doc();
        docs.set(code, doc);
        u = unitDossiers(doc, { now: () => '2024-06-30T08:00:00.000Z' });
        units.set(code, u);
      }
      return u;
    },
    unitCodes: () => [...units.keys()],
    /** Every document's collections as plain JSON (the import log left out), for before/after comparisons. */
    snapshot() {
      const out: Record<string, unknown> = { workspace: workspace.units.list() };
      for (const [code, u] of units) {
        out[code] = {
          cadres: u.cadres.list(),
          records: u.records.list(),
          flags: u.flags.list(),
          clues: u.clues.list(),
          cards: u.cards.list(),
        };
      }
      return out;
    },
  };
}
