import * as Y from 'yjs';
import { generateCity, type DemoCity } from '../../demo/city.ts';
import { initUnitDoc, unitDossiers, type UnitDossiers } from '../../doc/unit-doc.ts';
import { defaultConfig } from '../../model/config.ts';
import { createRowStore, type RowSnapshot } from '../row-store.ts';
import { unitRows } from '../rows.ts';

/**
 * The demo city (core/demo) in unit documents and rows, for the analysis tests and benchmark. The
 * entities are written straight through the accessors (the import is tested elsewhere). `copies`
 * joins several differently seeded cities, renamed apart, for the 10,000-cadre figures.
 */

export const CITY_AS_OF = '2025-06-30';

export function city(copies = 1): DemoCity {
  const parts = Array.from({ length: copies }, (_, i) => {
    const c = generateCity({ seed: 20190612 + i, asOf: CITY_AS_OF });
    if (i === 0) return c;
    const p = `K${i}`;
    const code = (x: string) => `${p}${x}`;
    return {
      units: c.units.map((u) => ({
        ...u,
        code: code(u.code),
        name: `${u.name}${i}`,
        ...(u.parentCode ? { parentCode: code(u.parentCode) } : {}),
      })),
      cadres: c.cadres.map((x) => ({ ...x, id: code(x.id), unitCode: code(x.unitCode) })),
      records: c.records.map((r) => ({ ...r, subject: { ...r.subject, id: code(r.subject.id) } })),
      flags: c.flags.map((f) => ({ ...f, cadreId: code(f.cadreId) })),
      clues: c.clues.map((x) => ({ ...x, id: code(x.id), subject: { ...x.subject, id: code(x.subject.id) } })),
      cards: c.cards.map((x) => ({ ...x, holderId: code(x.holderId), unitCode: code(x.unitCode) })),
    };
  });
  return {
    units: parts.flatMap((c) => c.units),
    cadres: parts.flatMap((c) => c.cadres),
    records: parts.flatMap((c) => c.records),
    flags: parts.flatMap((c) => c.flags),
    clues: parts.flatMap((c) => c.clues),
    cards: parts.flatMap((c) => c.cards),
  };
}

export function cityDocs(c: DemoCity): Map<string, UnitDossiers> {
  const docs = new Map(c.units.map((u) => [u.code, unitDossiers(new Y.Doc())]));
  for (const [code, d] of docs) initUnitDoc(d.doc, code);
  const unitOf = new Map(c.cadres.map((x) => [x.id, x.unitCode]));
  const docFor = (s: { type: string; id: string }) => docs.get(s.type === 'unit' ? s.id : unitOf.get(s.id)!)!;
  for (const x of c.cadres) docs.get(x.unitCode)!.cadres.put(x);
  c.records.forEach((r, i) => docFor(r.subject).records.put({ ...r, id: `R${i}` }));
  c.flags.forEach((f, i) => docFor({ type: 'cadre', id: f.cadreId }).flags.put({ ...f, id: `F${i}` }));
  for (const x of c.clues) docFor(x.subject).clues.put(x);
  c.cards.forEach((x, i) => docs.get(x.unitCode)!.cards.put({ ...x, id: `K${i}` }));
  return docs;
}

export function cityRows(c: DemoCity, asOf = CITY_AS_OF, docs = cityDocs(c)): RowSnapshot {
  const store = createRowStore();
  const config = defaultConfig();
  const units = new Map(c.units.map((u) => [u.code, u]));
  for (const [code, d] of docs) store.set(code, unitRows(d, { asOf, config, unit: units.get(code), unitCode: code }));
  return store.snapshot();
}
