import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { workspaceDoc } from '../../core/doc/index.ts';
import { applyImport, directoryFromTarget, prepareImport, readTable } from '../../core/import/index.ts';
import { defaultConfig, isUnitCode, normaliseUnitCode } from '../../core/model/index.ts';
import { generateCity } from '../../core/demo/index.ts';
import { memoryTarget, TODAY } from './import-support.ts';

/**
 * A unit code names the unit's documents (`unit:<code>`), the permission boundary: one code, one
 * spelling (core/model/unit-code.ts). Imports normalise what clerks type; look-alikes are refused.
 */

const config = defaultConfig();
const AT = '2024-06-30T08:00:00.000Z';
const csv = (text: string) => readTable(new TextEncoder().encode(text), 'x.csv');

describe('unit codes', () => {
  it('normalise full-width, lower-case and padded forms to one spelling, and refuse look-alikes', () => {
    expect(normaliseUnitCode('Ｕ０１')).toBe('U01');
    expect(normaliseUnitCode(' u01 ')).toBe('U01');
    for (const lookAlike of ['\u041001', 'U0\u200b1', 'U01\u0000', '市纪委', '.U01', 'U'.repeat(65)]) {
      expect(isUnitCode(normaliseUnitCode(lookAlike))).toBe(false);
    }
  });

  it('every code of the demo city is already in its one spelling', () => {
    for (const unit of generateCity().units)
      expect(normaliseUnitCode(unit.code) === unit.code && isUnitCode(unit.code)).toBe(true);
  });

  it('an import files full-width and lower-case codes under the one spelling and reports look-alikes by line', async () => {
    const t = memoryTarget();
    const units = await csv(
      '单位代码,单位名称,上级单位,单位类别\nＵ０１,示例市委组织部,,党委部门\n u02 ,示例市财政局,ｕ０１,政府部门\n\u041003,西里尔字母,,政府部门\nU0\u200b4,零宽字符,,政府部门\n',
    );
    const preview = prepareImport(units, { today: TODAY, config, directory: directoryFromTarget(t) });
    expect(preview.problems.map((p) => [p.line, p.column, p.key])).toEqual([
      [4, '单位代码', 'unitCode.format'],
      [5, '单位代码', 'unitCode.format'],
    ]);
    expect(applyImport(t, preview, { id: 'units-1', by: 'clerk', at: AT, fileName: 'units.csv' }, 'good-rows').ok).toBe(
      true,
    );
    expect(t.workspace.units.list().map((e) => e.ok && [e.value.code, e.value.parentCode])).toEqual([
      ['U01', undefined],
      ['U02', 'U01'],
    ]);

    const cadres = await csv(
      '干部编号,姓名,性别,出生年月,所在单位,现任职务,职级\nC001,欧阳明远,男,1972.03,ｕ０１,部长,正处级\nC002,王芳,女,1980.05,u02,副局长,副处级\n',
    );
    const filed = prepareImport(cadres, { today: TODAY, config, directory: directoryFromTarget(t) });
    expect(filed.problems).toEqual([]);
    expect(applyImport(t, filed, { id: 'cadres-1', by: 'clerk', at: AT, fileName: 'cadres.csv' }, 'good-rows').ok).toBe(
      true,
    );
    expect(t.unit('U01').cadres.get('C001')).toMatchObject({ ok: true, value: { unitCode: 'U01' } });
    expect(t.unit('U02').cadres.get('C002')).toMatchObject({ ok: true, value: { unitCode: 'U02' } });
  });

  it('a directory entry stored under another spelling reads as invalid, never as a second unit', () => {
    const doc = new Y.Doc();
    doc
      .getMap('units')
      .set(
        '\uff35\uff10\uff11',
        JSON.stringify({ code: '\uff35\uff10\uff11', name: '全角', kind: 'government', aliases: [] }),
      );
    const entry = workspaceDoc(doc).units.list()[0]!;
    expect(entry.ok).toBe(false);
    expect(!entry.ok && entry.errors.map((e) => e.key)).toContain('unitCode.format');
  });
});
