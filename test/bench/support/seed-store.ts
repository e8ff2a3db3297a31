/**
 * Stores seeded for the server benchmarks, written straight into storage as if every update had
 * arrived from a client and been committed one by one. A helper, not a benchmark.
 */
import * as Y from 'yjs';
import { initUnitDoc } from '../../../core/doc/unit-doc.ts';
import { workspaceDoc } from '../../../core/doc/workspace-doc.ts';
import type { Storage, UpdateToCommit } from '../../../sync-server/storage/types.ts';
import { oursPerUnitDocs, population, type Population } from '../layout-data.ts';

/** `data` as the server commits an update of `doc` from the bench's one user. */
export function storedUpdate(doc: string, data: Uint8Array): UpdateToCommit {
  return { doc, data, user: 'bench', name: 'bench', time: Date.now(), hash: '', clientIds: [], newBindings: [] };
}

/** `count` one-character text edits, each its own update, as a typing client would produce them. */
export function typedUpdates(count: number): { updates: Uint8Array[]; text: string } {
  const ydoc = new Y.Doc();
  const updates: Uint8Array[] = [];
  ydoc.on('update', (update: Uint8Array) => updates.push(update));
  const text = ydoc.getText('t');
  for (let i = 0; i < count; i++) text.insert(text.length, `${i % 10}`);
  return { updates, text: text.toString() };
}

/**
 * The 10,000-cadre city (10 records each, layout-data.ts) committed one update per document: the
 * workspace listing the 98 units, and each unit's document. `storage` may be another checkout's.
 */
export async function seedLargeCity(
  storage: Pick<Storage, 'commitUpdates'>,
): Promise<{ people: Population; codes: string[]; docs: string[] }> {
  const people = population(10_000);
  const unitDocs = oursPerUnitDocs(people);
  const codes = [...new Set(people.cadres.map((c) => c.unitCode))];
  const workspace = new Y.Doc();
  const directory = workspaceDoc(workspace);
  for (const code of codes) directory.units.put({ code, name: `单位${code}`, aliases: [], kind: 'government' });
  await storage.commitUpdates([
    storedUpdate('workspace', Y.encodeStateAsUpdate(workspace)),
    ...unitDocs.map((ydoc, i) => {
      initUnitDoc(ydoc, codes[i]!);
      return storedUpdate(`unit:${codes[i]}`, Y.encodeStateAsUpdate(ydoc));
    }),
  ]);
  return { people, codes, docs: ['workspace', ...codes.map((code) => `unit:${code}`)] };
}
