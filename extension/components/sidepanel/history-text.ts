import type { HistoryEvent } from '../../../core/doc/dossier-history.ts';
import type { WorkspaceConfig } from '../../../core/model/config.ts';
import type { Cadre, Clue, DotRecord, Flag, ReminderCard } from '../../../core/model/schemas.ts';
import { clueName, flagName, recordName } from '../../lib/entity-labels.ts';
import { joinClauses } from '../../lib/format.ts';
import { t, type MessageKey } from '../../lib/i18n.ts';
import { fieldName, valueText } from './field-values.ts';

/**
 * One history event as a sentence: what changed (the entity by its name — a record by kind, date
 * and 文号 — and each field before → after), never an id. Who and when are shown beside it.
 */

type Vocab = Pick<WorkspaceConfig, 'kinds' | 'negativeList' | 'channels'>;

const NOUN: Record<Exclude<HistoryEvent['collection'], 'annotations'>, MessageKey> = {
  records: 'historyNounRecords',
  flags: 'historyNounFlags',
  clues: 'historyNounClues',
  cadres: 'historyNounCadres',
  cards: 'historyNounCards',
};

type Change<K extends HistoryEvent['change']['kind']> = Extract<HistoryEvent['change'], { kind: K }>;

/** What an import did to the entity, and what undoing it did. */
const IMPORT_KEYS = {
  created: 'historyImportCreated',
  updated: 'historyImportUpdated',
  reinstated: 'historyImportReinstated',
} as const satisfies Record<Change<'imported'>['action'], MessageKey>;
const UNDO_KEYS = {
  revoked: 'historyUndoRevoked',
  restored: 'historyUndoRestored',
  removed: 'historyUndoRemoved',
} as const satisfies Record<Change<'import-undone'>['action'], MessageKey>;

/** Fields a change shows; bookkeeping that travels with another change stays out. */
const QUIET = new Set(['revoked', 'importId']);

/** The entity by its name; a record with its summary unless the change itself says the summary. */
function entityName(e: HistoryEvent, config: Vocab, withSummary = true): string {
  const v = (e.entity ?? {}) as Record<string, unknown>;
  switch (e.collection) {
    case 'records': {
      if (typeof v.kind !== 'string' || typeof v.decisionDate !== 'string') return '—';
      const name = recordName(config, v as DotRecord);
      return withSummary ? t('recordWithSummary', name, String(v.summary ?? '')) : name;
    }
    case 'flags':
      return typeof v.item === 'string' && typeof v.date === 'string' ? flagName(config, v as Flag) : '—';
    case 'clues':
      return typeof v.summary === 'string' && typeof v.received === 'string' ? clueName(v as Clue) : '—';
    case 'cadres':
      return String((v as Partial<Cadre>).name ?? '—');
    case 'cards':
      return String((v as Partial<ReminderCard>).quarter ?? '—');
    default:
      return '';
  }
}

function fieldsText(
  e: HistoryEvent,
  fields: { field: string; before: unknown; after: unknown }[],
  config: Vocab,
): string {
  const shown = fields.filter((f) => !QUIET.has(f.field));
  return joinClauses(
    shown.map((f) =>
      t(
        'historyFieldChange',
        fieldName(f.field),
        valueText(e.collection, f.field, f.before, config),
        valueText(e.collection, f.field, f.after, config),
      ),
    ),
  );
}

export function historyText(e: HistoryEvent, config: Vocab): string {
  const c = e.change;
  if (c.kind === 'annotated')
    return t(c.reply ? 'historyReplied' : 'historyAnnotated', c.text.length > 80 ? `${c.text.slice(0, 80)}…` : c.text);
  if (e.collection === 'annotations') return '';
  const noun = t(NOUN[e.collection]);
  const name = entityName(e, config);
  switch (c.kind) {
    case 'added':
      return t('historyAdded', noun, name);
    case 'imported': {
      const what = c.fields.length > 0 ? joinClauses([name, fieldsText(e, c.fields, config)]) : name;
      return t(IMPORT_KEYS[c.action], c.fileName, noun, c.action === 'updated' ? what : name);
    }
    case 'import-undone':
      return t(UNDO_KEYS[c.action], c.fileName, c.reason, noun, name);
    case 'corrected':
      return t('historyCorrected', noun, entityName(e, config, false), fieldsText(e, c.fields, config));
    case 'revoked':
      return t('historyRevoked', noun, name, c.reason);
    case 'reinstated':
      return t('historyReinstated', noun, name);
  }
}
