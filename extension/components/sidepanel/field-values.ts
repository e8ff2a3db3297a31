import type { WorkspaceConfig } from '../../../core/model/config.ts';
import { fieldLabel } from '../../../core/model/messages.ts';
import { STAGE_LABELS } from '../../../core/rules/explain.ts';
import { COLOURS, CLUE_STAGES, FLAG_STATUSES, RECORD_STATUSES, type Colour } from '../../../core/model/vocabulary.ts';
import { channelName, itemName, kindName } from '../../lib/entity-labels.ts';
import { formatDate, formatNumber } from '../../lib/format.ts';
import { label, t, uiLocale, type MessageKey } from '../../lib/i18n.ts';
import { DOT_LABEL } from './dots.ts';

/**
 * A field's value as a person reads it in a correction or in the history: labels for vocabulary
 * ids (kind, colour, status, item, channel, stage), dates in the user's language, "—" for nothing.
 */

type Vocab = Pick<WorkspaceConfig, 'kinds' | 'negativeList' | 'channels'>;

const DATE_FIELDS = new Set([
  'decisionDate',
  'effectiveDate',
  'rectificationDue',
  'rectifiedOn',
  'date',
  'statusChangedAt',
  'received',
  'due',
  'birth',
  'issuedOn',
]);

export const FLAG_STATUS_KEYS: Record<(typeof FLAG_STATUSES)[number], MessageKey> = {
  reported: 'flagReported',
  verifying: 'flagVerifying',
  substantiated: 'flagSubstantiated',
  unfounded: 'flagUnfounded',
};
const RECORD_STATUS_KEYS: Record<(typeof RECORD_STATUSES)[number], MessageKey> = {
  active: 'recordActive',
  revoked: 'revoked',
  expired: 'expired',
};

const isOneOf = <T extends string>(list: readonly T[], v: unknown): v is T =>
  typeof v === 'string' && (list as readonly string[]).includes(v);

export function fieldName(field: string): string {
  return fieldLabel(field, uiLocale());
}

export function valueText(collection: string, field: string, value: unknown, config: Vocab): string {
  if (value === undefined || value === null || value === '') return '—';
  if (field === 'kind' && typeof value === 'string') return kindName(config, value);
  if (field === 'item' && typeof value === 'string') return itemName(config, value);
  if (field === 'channel' && typeof value === 'string') return channelName(config, value);
  if (field === 'colour' && isOneOf<Colour>(COLOURS, value)) return t(DOT_LABEL[value]);
  if (field === 'stage' && isOneOf(CLUE_STAGES, value)) return label(STAGE_LABELS[value]);
  if (field === 'status' && collection === 'flags' && isOneOf(FLAG_STATUSES, value)) return t(FLAG_STATUS_KEYS[value]);
  if (field === 'status' && collection === 'records' && isOneOf(RECORD_STATUSES, value))
    return t(RECORD_STATUS_KEYS[value]);
  if (DATE_FIELDS.has(field) && typeof value === 'string') return formatDate(value);
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => valueText(collection, field, v, config)).join(t('listSeparator'));
  return JSON.stringify(value) ?? '—';
}
