import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { unitDossiers, workspaceDoc, type UnitDossiers } from '../../core/doc/index.ts';
import {
  applyImport,
  directoryFromTarget,
  prepareImport,
  readTable,
  type ImportPreview,
  type ImportTarget,
} from '../../core/import/index.ts';
import { defaultConfig } from '../../core/model/index.ts';

/** Helpers shared by the import tests: fixture bytes and an in-memory set of documents. */

export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));

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

/** Where the import fixtures are (test/fixtures/imports), for tests that pass a file's path. */
export const FIXTURES = join(import.meta.dirname, '../fixtures/imports');

/**
 * `npm run cli -- <args>` in a process of its own, as a shell runs it: its exit code (null when a
 * signal ended it) and what it printed. Debug output is off, so stderr holds only the messages.
 */
export function cliProcess(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      join(import.meta.dirname, '../../node_modules/.bin/tsx'),
      [join(import.meta.dirname, '../../sync-server/cli.ts'), ...args],
      { env: { ...process.env, DOSSIER_LENS_DEBUG: '' } },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

export const config = defaultConfig();
/** When the tests' imports happen (the clerk's clock). */
export const AT = '2024-06-30T08:00:00.000Z';

/** What importing fixture `file` into `t` would do (the preview a clerk sees before applying). */
export async function preview(t: MemoryTarget, file: string): Promise<ImportPreview> {
  const table = await readTable(fixture(file), file);
  return prepareImport(table, { today: TODAY, config, directory: directoryFromTarget(t) });
}

/** Imports fixture `file` into `t` (its good rows), as clerk; throws when the import fails. */
export async function load(t: MemoryTarget, file: string, id = `imp-${file.replace(/\W/g, '')}`) {
  const p = await preview(t, file);
  const r = applyImport(t, p, { id, by: 'clerk', at: AT, fileName: file }, 'good-rows');
  if (!r.ok) throw new Error(`import of ${file} failed: ${r.reason}`);
  return { preview: p, result: r };
}

/** The units and the cadres' rosters, which the other files' rows are filed against. */
export async function roster(t: MemoryTarget): Promise<void> {
  await load(t, 'units-utf8.csv');
  await load(t, 'cadres-utf8-bom.csv');
}

/** The report as [line, column, key] triples: what a clerk reads, minus the wording. */
export const report = (p: ImportPreview) => p.problems.map((x) => [x.line, x.column, x.key]);
