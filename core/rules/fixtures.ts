import type { IsoDate } from '../dates.ts';
import type { Cadre, Clue, DotRecord, Flag } from '../model/schemas.ts';
import { DEFAULT_KINDS, type ClueStage } from '../model/vocabulary.ts';
import type { SubjectData } from './reasons.ts';

/** Small builders for the rules' tests and benchmark: valid records with only what a case needs. */

export function rec(id: string, kind: string, decisionDate: IsoDate, extra: Partial<DotRecord> = {}): DotRecord {
  const def = DEFAULT_KINDS.find((k) => k.id === kind);
  return {
    id,
    subject: { type: 'cadre', id: 'c1' },
    colour: def?.colour ?? 'black',
    kind,
    decisionDate,
    sourceDept: '市纪委监委',
    summary: def?.label.zh ?? kind,
    status: 'active',
    ...(kind === 'party-probation' ? { probationMonths: 12 as const } : {}),
    ...extra,
  };
}

export function cadre(id: string, name: string, extra: Partial<Cadre> = {}): Cadre {
  return {
    id,
    name,
    aliases: [],
    gender: 'male',
    birth: '1970-01',
    unitCode: 'U01',
    post: '副局长',
    rank: '副处级',
    ...extra,
  };
}

export function clue(id: string, stage: ClueStage, received: IsoDate): Clue {
  return { id, subject: { type: 'cadre', id: 'c1' }, summary: '反映问题', received, source: '信访举报', stage };
}

export function flag(id: string, status: Flag['status'], date: IsoDate, item = 'gambling'): Flag {
  return { id, cadreId: 'c1', item, channel: 'public-report', date, status, summary: '群众举报' };
}

export function subject(records: DotRecord[] = [], more: Partial<SubjectData> = {}): SubjectData {
  return { cadre: cadre('c1', '张某'), records, flags: [], clues: [], ...more };
}
