import WebSocket from 'ws';
import { addMonths, today } from '../../../core/dates.ts';
import { cadre } from '../../../core/doc/test/fixtures.ts';
import { initUnitDoc, type UnitDossiers } from '../../../core/doc/unit-doc.ts';
import type { Cadre, DotRecord, Flag, Clue, Unit } from '../../../core/model/schemas.ts';
import type { WorkspaceConfig } from '../../../core/model/config.ts';
import { openWorkspace, type Workspace } from '../../../core/sync/index.ts';

/**
 * Seeds dossiers through the real path: a Node client of the sync library over `ws`, with a
 * token the server checks like any other, writing through core's typed accessors. What a test
 * sees in the browser is therefore exactly what the server stored and served.
 */

export interface SeedData {
  units: Unit[];
  cadres?: Cadre[];
  records?: DotRecord[];
  flags?: Flag[];
  clues?: Clue[];
  /** Workspace configuration sections to set (the rest stay the defaults). */
  config?: Partial<WorkspaceConfig>;
}

/** Opens a Node workspace (in memory) as the given token's user. Close it when done. */
export function nodeWorkspace(serverUrl: string, token: string): Promise<Workspace> {
  return openWorkspace({
    serverUrl,
    token,
    persistence: 'none',
    crossTab: false,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  });
}

/**
 * A colleague elsewhere writes to unit `unitCode`'s dossiers (`write` returns the accessor's
 * result; a refusal throws) and waits for the server's acknowledgement.
 */
export async function writeElsewhere(
  serverUrl: string,
  token: string,
  unitCode: string,
  write: (dossiers: UnitDossiers) => { ok: boolean },
): Promise<void> {
  const ws = await nodeWorkspace(serverUrl, token);
  try {
    const { dossiers, synced } = await ws.unit(unitCode);
    await synced.whenSynced();
    const result = write(dossiers);
    if (!result.ok) throw new Error(`write to ${unitCode} refused: ${JSON.stringify(result)}`);
    await ws.whenConfirmed();
  } finally {
    await ws.close();
  }
}

/** A colleague elsewhere adds `record` to unit `unitCode`'s dossiers and waits for the server's acknowledgement. */
export const putRecordElsewhere = (serverUrl: string, token: string, unitCode: string, record: DotRecord) =>
  writeElsewhere(serverUrl, token, unitCode, (dossiers) => dossiers.records.put(record));

/**
 * Writes `data` (the token needs admin on `workspace` and editor on `unit:*`) and waits for the
 * server's acknowledgement.
 */
export async function seed(serverUrl: string, adminToken: string, data: SeedData): Promise<void> {
  const ws = await nodeWorkspace(serverUrl, adminToken);
  try {
    await ws.workspaceSynced.whenSynced();
    for (const unit of data.units) must(ws.workspace.units.put(unit), `unit ${unit.code}`);
    for (const [section, value] of Object.entries(data.config ?? {}) as [keyof WorkspaceConfig, never][])
      must(ws.workspace.config.set(section, value), `config ${section}`);
    for (const unit of data.units) {
      const { dossiers, synced } = await ws.unit(unit.code);
      await synced.whenSynced();
      initUnitDoc(dossiers.doc, unit.code);
      for (const c of data.cadres ?? []) if (c.unitCode === unit.code) must(dossiers.cadres.put(c), `cadre ${c.id}`);
      const inUnit = (s: { type: string; id: string }) =>
        s.type === 'unit'
          ? s.id === unit.code
          : (data.cadres ?? []).some((c) => c.id === s.id && c.unitCode === unit.code);
      for (const r of data.records ?? []) if (inUnit(r.subject)) must(dossiers.records.put(r), `record ${r.id}`);
      for (const f of data.flags ?? [])
        if (inUnit({ type: 'cadre', id: f.cadreId })) must(dossiers.flags.put(f), `flag ${f.id}`);
      for (const c of data.clues ?? []) if (inUnit(c.subject)) must(dossiers.clues.put(c), `clue ${c.id}`);
    }
    await ws.whenConfirmed();
  } finally {
    await ws.close();
  }
}

function must(result: { ok: boolean; errors?: { message: string }[] }, what: string): void {
  if (!result.ok) throw new Error(`seed: ${what} refused: ${(result.errors ?? []).map((e) => e.message).join('; ')}`);
}

/** The date `n` months before today (Shanghai time): seeded periods and warnings stay current. */
export const monthsAgo = (n: number) => addMonths(today(), -n);

/**
 * A small city: one bureau, two cadres (one with a history), enough to exercise every section.
 * 张伟 (C001) is core's fixture cadre as it stands (core/doc/test/fixtures.ts).
 * Dates are relative to today so the influence periods and warnings are running whenever the
 * tests run.
 */
export const SMALL_CITY: SeedData = {
  units: [{ code: 'A01', name: '市财政局', aliases: [], kind: 'government' }],
  cadres: [
    cadre('C001'),
    cadre('C002', { name: '欧阳芳', gender: 'female', birth: '1980-11', post: '副局长', rank: '副处级' }),
  ],
  records: [
    {
      id: 'R001',
      subject: { type: 'cadre', id: 'C001' },
      colour: 'red',
      kind: 'commendation',
      decisionDate: monthsAgo(30),
      sourceDept: '市委组织部',
      summary: '年度嘉奖',
      status: 'active',
    },
    {
      id: 'R002',
      subject: { type: 'cadre', id: 'C001' },
      colour: 'black',
      kind: 'party-warning',
      decisionDate: monthsAgo(5),
      sourceDept: '市纪委监委',
      docNumber: '市纪发〔2025〕12号',
      summary: '违规收受礼品',
      status: 'active',
    },
    {
      id: 'R003',
      subject: { type: 'cadre', id: 'C001' },
      colour: 'yellow',
      kind: 'reminder-talk',
      decisionDate: monthsAgo(2),
      sourceDept: '市纪委监委',
      summary: '提醒谈话：工作作风',
      status: 'active',
    },
  ],
  flags: [
    {
      id: 'F001',
      cadreId: 'C001',
      item: 'banquets',
      channel: 'public-report',
      date: monthsAgo(1),
      status: 'verifying',
      summary: '接受管理服务对象宴请',
    },
  ],
  clues: [
    {
      id: 'L001',
      subject: { type: 'cadre', id: 'C001' },
      summary: '反映其亲属经商问题',
      received: monthsAgo(1),
      source: '信访举报',
      stage: 'preliminary',
    },
  ],
};
