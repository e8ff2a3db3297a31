/**
 * Browser side of the layout benchmark (bundled by layout.ts): stores the naive and our layouts
 * through y-indexeddb, then times opening them again the way the sync client does (new Y.Doc +
 * IndexeddbPersistence until `whenSynced`), and for the real shape (one document per unit) also
 * building the local index from them.
 */
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { unitDossiers } from '../../core/doc/unit-doc.ts';
import { defaultConfig } from '../../core/model/config.ts';
import { summariseUnitDoc } from '../../core/sync/summaries.ts';
import { dbPrefix, openWorkspace } from '../../core/sync/workspace.ts';
import { newDataKey, recordCipher } from '../../core/sync/at-rest.ts';
import { naiveDoc, oursDoc, oursPerUnitDocs, population } from './layout-data.ts';

async function store(name: string, doc: Y.Doc): Promise<void> {
  const p = new IndexeddbPersistence(name, doc);
  await p.whenSynced;
  await p.destroy();
}

async function open(names: string[], index: boolean): Promise<number> {
  const t0 = performance.now();
  const opened = await Promise.all(
    names.map(async (name) => {
      const doc = new Y.Doc();
      const p = new IndexeddbPersistence(name, doc);
      await p.whenSynced;
      return { doc, p };
    }),
  );
  if (index) {
    const config = defaultConfig();
    for (const { doc } of opened)
      summariseUnitDoc(unitDossiers(doc), { config, unit: () => undefined, asOf: '2024-01-01', locale: 'zh-CN' });
  }
  const ms = performance.now() - t0;
  await Promise.all(opened.map(({ p, doc }) => p.destroy().then(() => doc.destroy())));
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function run(cadres: number, runs: number) {
  const p = population(cadres);
  const tag = `bench-${cadres}`;
  await store(`${tag}-naive`, naiveDoc(p));
  await store(`${tag}-ours`, oursDoc(p));
  const units = oursPerUnitDocs(p);
  const unitNames = units.map((_, i) => `${tag}-unit-${i}`);
  await Promise.all(units.map((d, i) => store(unitNames[i]!, d)));
  const times = {
    naive: [] as number[],
    ours: [] as number[],
    perUnit: [] as number[],
    perUnitIndexed: [] as number[],
  };
  for (let i = 0; i < runs; i++) {
    times.naive.push(await open([`${tag}-naive`], false));
    times.ours.push(await open([`${tag}-ours`], false));
    times.perUnit.push(await open(unitNames, false));
    times.perUnitIndexed.push(await open(unitNames, true));
  }
  return {
    naive: median(times.naive),
    ours: median(times.ours),
    perUnit: median(times.perUnit),
    perUnitIndexed: median(times.perUnitIndexed),
    units: units.length,
  };
}

(globalThis as unknown as { runLayoutBench: typeof run }).runLayoutBench = run;

/**
 * The sync client end to end: `openWorkspace` from IndexedDB (not connected) and `openUnits()`
 * until every unit's index entries are in, cold (index computed) and warm (index cache).
 */
async function runWorkspace(cadres: number, runs: number, sealed = false) {
  const serverUrl = `ws://127.0.0.1:9/bench-${cadres}${sealed ? '-sealed' : ''}`;
  // Sealed: every record through AES-GCM with a device data key (README "Encrypted at rest").
  const cipher = sealed ? await recordCipher(newDataKey()) : undefined;
  const base = {
    serverUrl,
    token: 'bench',
    persistence: 'indexeddb' as const,
    connect: false,
    crossTab: false,
    today: () => '2024-01-01',
    ...(cipher ? { cipher } : {}),
  };
  const p = population(cadres);
  const seed = await openWorkspace(base);
  const codes = [...new Set(p.cadres.map((c) => c.unitCode))];
  for (const code of codes) seed.workspace.units.put({ code, name: `单位${code}`, kind: 'government' });
  const byUnit = new Map<string, typeof p>();
  for (const c of p.cadres) {
    const part = byUnit.get(c.unitCode) ?? { cadres: [], records: [] };
    part.cadres.push(c);
    byUnit.set(c.unitCode, part);
  }
  for (const r of p.records)
    byUnit.get(`U${String(Number(r.subject.id.slice(1)) % 98).padStart(3, '0')}`)!.records.push(r);
  for (const [code, part] of byUnit) {
    const { dossiers } = await seed.unit(code);
    dossiers.doc.transact(() => {
      for (const c of part.cadres) dossiers.cadres.put(c);
      for (const r of part.records) dossiers.records.put(r);
    });
  }
  await seed.close();
  const time = async (indexCache: boolean) => {
    const t0 = performance.now();
    const ws = await openWorkspace({ ...base, indexCache });
    const wsMs = performance.now() - t0;
    await ws.openUnits();
    const ms = performance.now() - t0;
    const entries = ws.index.all().length;
    await ws.close();
    return { ms, wsMs, entries };
  };
  const names = ['workspace', ...codes.map((c) => `unit:${c}`)].map((n) => dbPrefix(serverUrl) + n);
  const cold: number[] = [];
  const warm: number[] = [];
  const warmWorkspace: number[] = [];
  const raw: number[] = [];
  let entries = 0;
  await time(true); // writes the cache
  for (let i = 0; i < runs; i++) {
    cold.push((await time(false)).ms);
    const w = await time(true);
    warm.push(w.ms);
    warmWorkspace.push(w.wsMs);
    entries = w.entries;
    // y-indexeddb itself cannot read sealed records: the raw comparison is for today's store only.
    if (!sealed) raw.push(await open(names, false));
  }
  return {
    cold: median(cold),
    warm: median(warm),
    warmWorkspace: median(warmWorkspace),
    raw: sealed ? 0 : median(raw),
    entries,
    units: codes.length,
  };
}

(globalThis as unknown as { runWorkspaceBench: typeof runWorkspace }).runWorkspaceBench = runWorkspace;
