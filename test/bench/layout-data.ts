/**
 * The layout benchmark's data and document builders, shared by the Node run (layout.ts) and the
 * Chromium page (layout-page.ts) so both measure the same documents.
 */
import * as Y from 'yjs';
import { unitDossiers } from '../../core/doc/unit-doc.ts';
import type { Cadre, DotRecord } from '../../core/model/schemas.ts';
import { DEFAULT_KINDS } from '../../core/model/vocabulary.ts';

export type Population = { cadres: Cadre[]; records: DotRecord[] };

export const RECORDS_PER_CADRE = 10;
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华';

/** Deterministic data: the same population on every run and every machine. */
export function population(cadres: number): Population {
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pick = <T>(xs: readonly T[] | string): T => xs[Math.floor(rand() * xs.length)] as T;
  const out = { cadres: [] as Cadre[], records: [] as DotRecord[] };
  for (let i = 0; i < cadres; i++) {
    const id = `C${String(i).padStart(6, '0')}`;
    const unitCode = `U${String(i % 98).padStart(3, '0')}`;
    out.cadres.push({
      id,
      name: pick<string>(SURNAMES) + pick<string>(GIVEN) + pick<string>(GIVEN),
      aliases: [],
      gender: rand() < 0.7 ? 'male' : 'female',
      birth: `19${60 + Math.floor(rand() * 30)}-0${1 + Math.floor(rand() * 9)}`,
      unitCode,
      post: '副局长',
      rank: '副处级',
    });
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

export function naiveDoc(p: Population): Y.Doc {
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

export function oursDoc(p: Population): Y.Doc {
  const doc = new Y.Doc();
  const u = unitDossiers(doc);
  doc.transact(() => {
    for (const c of p.cadres) u.cadres.put(c);
    for (const r of p.records) u.records.put(r);
  });
  return doc;
}

/** The real shape: one `unit:<code>` document per unit (98 in the seed city). */
export function oursPerUnitDocs(p: Population): Y.Doc[] {
  const byUnit = new Map<string, Population>();
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
  return [...byUnit.values()].map((part) => oursDoc(part));
}
