import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { unitDossiers } from '../doc/unit-doc.ts';
import { workspaceDoc } from '../doc/workspace-doc.ts';
import { decodeIndexCache, encodeIndexCache, indexStamp } from './index-cache.ts';
import { record } from '../doc/test/fixtures.ts';
import type { SubjectSummary } from '../model/summary.ts';

const entry: SubjectSummary = {
  type: 'cadre',
  id: 'c1',
  name: '张伟',
  aliases: [],
  unitCode: 'A01',
  unitName: '市财政局',
  post: '局长',
  dots: { red: 0, blue: 0, yellow: 0, black: 1 },
  grade: 'D',
  gradeReason: '…',
  warnings: [],
  flags: 0,
  periods: ['…'],
  invalid: 0,
};

describe('index cache stamp', () => {
  it('changes with the unit document (including deletions), the workspace document, the date and the language', () => {
    const unit = unitDossiers(new Y.Doc());
    const ws = workspaceDoc(new Y.Doc());
    unit.records.put(record('r1', 'c1'));
    const s0 = indexStamp(unit.doc, ws.doc, '2024-01-01', 'zh-CN');
    expect(indexStamp(unit.doc, ws.doc, '2024-01-01', 'zh-CN')).toBe(s0);
    expect(indexStamp(unit.doc, ws.doc, '2024-01-02', 'zh-CN')).not.toBe(s0);
    expect(indexStamp(unit.doc, ws.doc, '2024-01-01', 'en')).not.toBe(s0);
    ws.units.put({ code: 'A01', name: '市财政局', kind: 'government' });
    const s1 = indexStamp(unit.doc, ws.doc, '2024-01-01', 'zh-CN');
    expect(s1).not.toBe(s0);
    unit.records.put(record('r2', 'c1'));
    const s2 = indexStamp(unit.doc, ws.doc, '2024-01-01', 'zh-CN');
    expect(s2).not.toBe(s1);
    // A deletion leaves the state vector alone; the snapshot's delete set still tells.
    const sv = Y.encodeStateVector(unit.doc);
    unit.records.remove('r2');
    expect(Y.encodeStateVector(unit.doc)).toEqual(sv);
    expect(indexStamp(unit.doc, ws.doc, '2024-01-01', 'zh-CN')).not.toBe(s2);
  });

  it('returns cached entries only for the same stamp and a well-formed cache', () => {
    const text = encodeIndexCache('stamp-1', [entry]);
    expect(decodeIndexCache(text, 'stamp-1')).toEqual([entry]);
    expect(decodeIndexCache(text, 'stamp-2')).toBeUndefined();
    expect(decodeIndexCache('{"stamp":"stamp-1","entries":[{"id":1}]}', 'stamp-1')).toBeUndefined();
    expect(decodeIndexCache('not json', 'stamp-1')).toBeUndefined();
    expect(decodeIndexCache(undefined, 'stamp-1')).toBeUndefined();
  });
});
