import * as v from 'valibot';
import { DEFAULT_CHANNELS, DEFAULT_KINDS, DEFAULT_NEGATIVE_LIST, COLOURS, type KindDef } from './vocabulary.ts';
import {
  commissionSchema,
  DEFAULT_COMMISSION,
  DEFAULT_REMINDER_CARDS,
  reminderCardsSchema,
} from './workflow-config.ts';

/**
 * Workspace configuration: what an organisation may tune without code. It lives in the
 * `workspace` document (admins write it) and every rule reads it as plain data.
 */

const label = v.object({ zh: v.pipe(v.string(), v.minLength(1, 'required')), en: v.string() });

export const kindDefSchema = v.object({
  id: v.pipe(v.string(), v.regex(/^[a-z0-9-]+$/, 'id.format')),
  colour: v.picklist(COLOURS, 'colour.unknown'),
  label,
  aliases: v.optional(v.array(v.string())),
  subjects: v.optional(v.array(v.picklist(['cadre', 'unit']))),
});

export const negativeListItemSchema = v.object({
  id: v.pipe(v.string(), v.regex(/^[a-z0-9-]+$/, 'id.format')),
  label,
});

/**
 * Grade scheme. Grades are listed best first; the rules engine assigns the worst grade whose
 * condition holds (see core/rules/grade.ts and core/README.md for the default and its reasons).
 */
export const gradeSchemeSchema = v.object({
  /** Grade letters, best first, e.g. A B C D. Exactly four: top, normal, attention, lowest. */
  grades: v.pipe(v.array(v.object({ id: v.string(), label })), v.length(4, 'grades.four')),
  /** Red dots within `redWindowMonths` needed for the top grade. */
  redForTop: v.pipe(v.number(), v.integer(), v.minValue(1)),
  redWindowMonths: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** A yellow dot within this many months lowers the grade to "attention". */
  yellowWindowMonths: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** For a unit: share of its cadres at the lowest grade that makes the unit's grade lowest. */
  unitLowestShare: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
  /** For a unit: share of its cadres with a warning that makes the unit "attention". */
  unitAttentionShare: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
});

export const warningRulesSchema = v.object({
  /** An open clue at one of these stages warns (初核, 立案 by default). */
  openClue: v.object({ enabled: v.boolean(), stages: v.array(v.string()) }),
  /** N yellow dots within M months warn. */
  repeatedYellow: v.object({
    enabled: v.boolean(),
    count: v.pipe(v.number(), v.integer(), v.minValue(2)),
    withinMonths: v.pipe(v.number(), v.integer(), v.minValue(1)),
  }),
  substantiatedFlag: v.object({ enabled: v.boolean() }),
  overdueRectification: v.object({ enabled: v.boolean() }),
});

/**
 * Spellings an import accepts for vocabulary values, per vocabulary and value id, beyond the labels
 * and the common spellings core/import knows (e.g. a department that writes 赌博 for
 * 组织或参与赌博, or 核查中 for the 初步核实 stage). The import report says how each was read.
 */
const aliasList = v.record(v.string(), v.array(v.pipe(v.string(), v.minLength(1, 'required'))));
export const importAliasesSchema = v.object({
  negativeList: v.optional(aliasList),
  channels: v.optional(aliasList),
  clueStages: v.optional(aliasList),
  flagStatuses: v.optional(aliasList),
});
export type ImportAliases = v.InferOutput<typeof importAliasesSchema>;

export const workspaceConfigSchema = v.object({
  name: v.pipe(v.string(), v.minLength(1, 'required')),
  negativeList: v.pipe(v.array(negativeListItemSchema), v.minLength(1, 'required')),
  channels: v.array(v.object({ id: v.string(), label })),
  kinds: v.pipe(v.array(kindDefSchema), v.minLength(1, 'required')),
  gradeScheme: gradeSchemeSchema,
  warningRules: warningRulesSchema,
  importAliases: v.optional(importAliasesSchema),
  /** The commission on its letters, approvers, clue handlers (core/model/workflow-config.ts). */
  commission: commissionSchema,
  /** Reminder-card holders and deadlines (core/model/workflow-config.ts). */
  reminderCards: reminderCardsSchema,
});

export type WorkspaceConfig = v.InferOutput<typeof workspaceConfigSchema>;
export type GradeScheme = v.InferOutput<typeof gradeSchemeSchema>;
export type WarningRules = v.InferOutput<typeof warningRulesSchema>;

export const DEFAULT_GRADE_SCHEME: GradeScheme = {
  grades: [
    { id: 'A', label: { zh: '好', en: 'Good' } },
    { id: 'B', label: { zh: '较好', en: 'Fair' } },
    { id: 'C', label: { zh: '一般', en: 'Needs attention' } },
    { id: 'D', label: { zh: '较差', en: 'Poor' } },
  ],
  redForTop: 2,
  redWindowMonths: 36,
  yellowWindowMonths: 12,
  unitLowestShare: 0.1,
  unitAttentionShare: 0.2,
};

export const DEFAULT_WARNING_RULES: WarningRules = {
  openClue: { enabled: true, stages: ['preliminary', 'case'] },
  repeatedYellow: { enabled: true, count: 2, withinMonths: 12 },
  substantiatedFlag: { enabled: true },
  overdueRectification: { enabled: true },
};

export function defaultConfig(name = '政治生态档案'): WorkspaceConfig {
  return structuredClone({
    name,
    negativeList: DEFAULT_NEGATIVE_LIST,
    channels: DEFAULT_CHANNELS,
    kinds: DEFAULT_KINDS,
    gradeScheme: DEFAULT_GRADE_SCHEME,
    warningRules: DEFAULT_WARNING_RULES,
    commission: DEFAULT_COMMISSION,
    reminderCards: DEFAULT_REMINDER_CARDS,
  });
}

export function kindById(config: Pick<WorkspaceConfig, 'kinds'>, id: string): KindDef | undefined {
  return config.kinds.find((k) => k.id === id);
}

/** Resolves what a clerk typed (id, Chinese or English label, or alias) to a kind. */
export function resolveKind(config: Pick<WorkspaceConfig, 'kinds'>, text: string): KindDef | undefined {
  const t = text.trim();
  return config.kinds.find(
    (k) =>
      k.id === t || k.label.zh === t || k.label.en.toLowerCase() === t.toLowerCase() || (k.aliases ?? []).includes(t),
  );
}
