import * as Y from 'yjs';
import type { Annotation, Cadre, Clue, DotRecord, Flag, ReminderCard } from '../../model/schemas.ts';

export const fixedClock = () => '2024-05-01T08:00:00.000Z';

export function cadre(id: string, extra: Partial<Cadre> = {}): Cadre {
  return {
    id,
    name: '张伟',
    aliases: [],
    gender: 'male',
    birth: '1975-03',
    unitCode: 'A01',
    post: '局长',
    rank: '正处级',
    ...extra,
  };
}

export function record(id: string, cadreId: string, extra: Partial<DotRecord> = {}): DotRecord {
  return {
    id,
    subject: { type: 'cadre', id: cadreId },
    colour: 'black',
    kind: 'party-warning',
    decisionDate: '2018-06-15',
    sourceDept: '市纪委',
    docNumber: '张纪发〔2018〕12号',
    summary: '违反廉洁纪律',
    status: 'active',
    ...extra,
  };
}

export function flag(id: string, cadreId: string, extra: Partial<Flag> = {}): Flag {
  return {
    id,
    cadreId,
    item: 'gambling',
    channel: 'community',
    date: '2023-11-02',
    status: 'reported',
    summary: '社区反映参与赌博',
    ...extra,
  };
}

export function clue(id: string, cadreId: string, extra: Partial<Clue> = {}): Clue {
  return {
    id,
    subject: { type: 'cadre', id: cadreId },
    summary: '反映收受礼金',
    received: '2024-01-10',
    source: '信访',
    stage: 'preliminary',
    ...extra,
  };
}

export function reminderCard(id: string, holderId: string, extra: Partial<ReminderCard> = {}): ReminderCard {
  return {
    id,
    quarter: '2024Q1',
    holderId,
    unitCode: 'A01',
    issuedOn: '2024-01-05',
    items: [{ id: 'i1', text: '一季一提醒', state: 'done' }],
    ...extra,
  };
}

/** A note on a cadre's whole dossier. */
export function annotation(id: string, cadreId: string, extra: Partial<Annotation> = {}): Annotation {
  return {
    id,
    subject: { type: 'cadre', id: cadreId },
    anchor: { kind: 'dossier' },
    text: '请核实',
    author: '张三',
    at: fixedClock(),
    ...extra,
  };
}

/** Exchanges all missing updates both ways, as a reconnect would. */
export function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}
