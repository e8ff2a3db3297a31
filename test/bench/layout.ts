/**
 * Document layout benchmark: encoded size and load time (Y.applyUpdate into a fresh Y.Doc) of the
 * naive layout (a Y.Map per cadre and per record) against ours (one plain JSON object per entity in
 * a top-level Y.Map; see core/README.md "Layout decision"), at the seed city's 1,072 cadres and at
 * 10,000, 10 records each. Also the cost of reading every record back through the validating
 * accessors, which is what the local index does after a load.
 *
 * Run: npx tsx test/bench/layout.ts   (prints a table; figures go to BENCHMARKS.md by hand)
 */
import * as Y from 'yjs';
import { unitDossiers } from '../../core/doc/unit-doc.ts';
import type { Cadre, DotRecord } from '../../core/model/schemas.ts';
import { DEFAULT_KINDS } from '../../core/model/vocabulary.ts';

const RECORDS_PER_CADRE = 10;
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华';

/** Deterministic data: the same population on every run and every machine. */
function population(cadres: number): { cadres: Cadre[]; records: DotRecord[] } {
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = <T>(xs: readonly T[] | string): T => xs[Math.floor(rand() * xs.length)] as T;
  const out = { cadres: [] as Cadre[], records: [] as DotRecord[] };
  for (let i = 0; i < cadres; i++) {
    const id = `C${String(i).padStart(6, '0')}`;
    const unitCode = `U${String(i % 98).padStart(3, '0')}`;
    out.cadres.push({ id, name: pick<string>(SURNAMES) + pick<string>(GIVEN) + pick<string>(GIVEN), aliases: [], gender: rand() < 0.7 ? 'male' : 'female', birth: `19${60 + Math.floor(rand() * 30)}-0${1 + Math.floor(rand() * 9)}`, unitCode, post: '副局长', rank: '副处级' });
    for (let j = 0; j < RECORDS_PER_CADRE; j++) {
      const kind = pick(DEFAULT_KINDS.filter((k) => !k.subjects || k.subjects.includes('cadre')));
      const y = 2015 + Math.floor(rand() * 9);
      out.records.push({
        id: `${id}-R${j}`,
        subject: { type: 'cadre', id },
        colour: kind.colour,
        kind: kind.id,
        decisionDate: `${y}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`,
        sourceDept: '市委组织部',
        docNumber: `张组发〔${y}〕${Math.floor(rand() * 200)}号`,
        summary: `${kind.label.zh}：${pick<string>(SURNAMES)}某某同志相关情况记录`,
        status: 'active',
      });
    }
  }
  return out;
}

function naiveDoc(p: ReturnType<typeof population>): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    const cadres = doc.getMap<Y.Map<unknown>>('cadres');
    for (const c of p.cadres) {
      const m = new Y.Map<unknown>();
      cadres.set(c.id, m);
      for (const [k, v] of Object.entries(c)) m.set(k, v);
    }
    const records = doc.getMap<Y.Map<unknown>>('records');
    for (const r of p.records) {
      const m = new Y.Map<unknown>();
      records.set(r.id, m);
      for (const [k, v] of Object.entries(r)) m.set(k, v);
    }
  });
  return doc;
}

function oursDoc(p: ReturnType<typeof population>): Y.Doc {
  const doc = new Y.Doc();
  const u = unitDossiers(doc);
  doc.transact(() => {
    for (const c of p.cadres) u.cadres.put(c);
    for (const r of p.records) u.records.put(r);
  });
  return doc;
}

/** The real shape: one `unit:<code>` document per unit (98 in the seed city). */
function oursPerUnit(p: ReturnType<typeof population>): Uint8Array[] {
  const byUnit = new Map<string, ReturnType<typeof population>>();
  const recordsOf = new Map<string, DotRecord[]>();
  for (const r of p.records) {
    const list = recordsOf.get(r.subject.id) ?? [];
    list.push(r);
    recordsOf.set(r.subject.id, list);
  }
  for (const c of p.cadres) {
    const part = byUnit.get(c.unitCode) ?? { cadres: [], records: [] };
    part.cadres.push(c);
    part.records.push(...(recordsOf.get(c.id) ?? []));
    byUnit.set(c.unitCode, part);
  }
  return [...byUnit.values()].map((part) => Y.encodeStateAsUpdate(oursDoc(part)));
}

function timeLoadAll(updates: Uint8Array[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    for (const u of updates) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, u);
      doc.getMap('records').size;
      doc.destroy();
    }
    times.push(performance.now() - t0);
  }
  return median(times);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeLoad(update: Uint8Array, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update);
    // Touch the content so lazy work is counted.
    doc.getMap('records').size;
    times.push(performance.now() - t0);
    doc.destroy();
  }
  return median(times);
}

function timeRead(update: Uint8Array, runs: number): number {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  const u = unitDossiers(doc);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const n = u.records.list().length + u.cadres.list().length;
    times.push(performance.now() - t0);
    if (n === 0) throw new Error('nothing read');
  }
  return median(times);
}

const fmtMB = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const fmtMs = (ms: number) => `${ms.toFixed(0)} ms`;

const rows: string[][] = [];
for (const cadres of [1072, 10_000]) {
  const p = population(cadres);
  const naive = Y.encodeStateAsUpdate(naiveDoc(p));
  const ours = Y.encodeStateAsUpdate(oursDoc(p));
  const runs = cadres > 5000 ? 5 : 9;
  // Warm-up so the first layout measured does not pay for JIT compilation alone.
  timeLoad(ours, 2);
  timeLoad(naive, 2);
  const naiveMs = timeLoad(naive, runs);
  const oursMs = timeLoad(ours, runs);
  const readMs = timeRead(ours, Math.min(runs, 5));
  const perUnit = oursPerUnit(p);
  const perUnitMs = timeLoadAll(perUnit, runs);
  const perUnitBytes = perUnit.reduce((n, u) => n + u.byteLength, 0);
  rows.push([
    `${cadres.toLocaleString('en')} × ${RECORDS_PER_CADRE}`,
    fmtMB(naive.byteLength),
    fmtMB(ours.byteLength),
    `${(naive.byteLength / ours.byteLength).toFixed(1)}×`,
    fmtMs(naiveMs),
    fmtMs(oursMs),
    `${(naiveMs / oursMs).toFixed(1)}×`,
    fmtMs(readMs),
    `${fmtMB(perUnitBytes)} / ${fmtMs(perUnitMs)}`,
  ]);
}

const header = ['cadres × records', 'naive size', 'ours size', 'size ratio', 'naive load', 'ours load', 'load ratio', 'ours read+validate all', 'ours as 98 unit docs: size / load'];
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => '---').join('|')}|`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log(`\nNode ${process.version}, ${new Date().toISOString().slice(0, 10)}; load = new Y.Doc + Y.applyUpdate of the full state, median of runs.`);
