import type { WorkspaceConfig } from '../../core/model/config.ts';
import type { Clue, DotRecord, Flag } from '../../core/model/schemas.ts';
import { formatDate } from './format.ts';
import { label } from './i18n.ts';

/**
 * How a person refers to an entity: a record by its kind, date and document number (文号) or
 * source, a flag by its negative-list item and date, a clue by its summary. Never by the id the
 * system gave it (ids may appear in tooltips and exports, not in what people read).
 */

type Vocab = Pick<WorkspaceConfig, 'kinds' | 'negativeList' | 'channels'>;

export function kindName(config: Pick<WorkspaceConfig, 'kinds'>, kind: string): string {
  const k = config.kinds.find((x) => x.id === kind);
  return k ? label(k.label) : kind;
}

export function itemName(config: Pick<WorkspaceConfig, 'negativeList'>, item: string): string {
  const i = config.negativeList.find((x) => x.id === item);
  return i ? label(i.label) : item;
}

export function channelName(config: Pick<WorkspaceConfig, 'channels'>, channel: string): string {
  const c = config.channels.find((x) => x.id === channel);
  return c ? label(c.label) : channel;
}

/** "党内警告 · 2025年6月1日 · 市纪发〔2025〕12号" (or the source department when there is no 文号). */
export function recordName(
  config: Vocab,
  r: Pick<DotRecord, 'kind' | 'decisionDate' | 'docNumber' | 'sourceDept'>,
): string {
  return [kindName(config, r.kind), formatDate(r.decisionDate), r.docNumber || r.sourceDept]
    .filter(Boolean)
    .join(' · ');
}

export function flagName(config: Vocab, f: Pick<Flag, 'item' | 'date'>): string {
  return `${itemName(config, f.item)} · ${formatDate(f.date)}`;
}

export function clueName(c: Pick<Clue, 'summary' | 'received'>): string {
  return `${c.summary} · ${formatDate(c.received)}`;
}
