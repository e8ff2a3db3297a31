import type { IsoDate } from '../dates.ts';
import type { WorkspaceConfig } from '../model/config.ts';
import type { Locale } from '../model/messages.ts';
import type { Unit } from '../model/schemas.ts';
import type { SubjectSummary } from '../model/summary.ts';
import { allDossiers, type Dossier, type UnitDossiers } from '../doc/unit-doc.ts';
import { assessCadre, summarise } from '../rules/summarise.ts';

/**
 * The local index entries of one unit document: every cadre it manages and the unit itself, with
 * dots, grade, warnings and periods already in the user's language. Pure over its inputs; the
 * rules are one injected dependency so the index can be tested (or run) with other rules.
 */

export interface Rules {
  summarise: typeof summarise;
  assessCadre: typeof assessCadre;
}

export const defaultRules: Rules = { summarise, assessCadre };

export interface SummaryContext {
  config: WorkspaceConfig;
  /** The unit directory (workspace document). */
  unit: (code: string) => Unit | undefined;
  asOf: IsoDate;
  locale: Locale;
  rules?: Rules;
  /** The unit the document belongs to (from its name `unit:<code>`). */
  unitCode?: string;
}

const nameOfInvalid = (d: Dossier): string | undefined => {
  const raw = d.invalid.find((i) => i.collection === 'cadres')?.entry.raw as { name?: unknown } | undefined;
  return typeof raw?.name === 'string' ? raw.name : undefined;
};

export function summariseUnitDoc(dossiers: UnitDossiers, ctx: SummaryContext): SubjectSummary[] {
  const rules = ctx.rules ?? defaultRules;
  const all = allDossiers(dossiers, { unit: ctx.unit, ...(ctx.unitCode ? { unitCode: ctx.unitCode } : {}) });
  const vocab = { kinds: ctx.config.kinds, negativeList: ctx.config.negativeList };
  const own = ctx.unitCode ?? dossiers.unitCode();
  const unitName = (code: string) => ctx.unit(code)?.name ?? code;
  const out: SubjectSummary[] = [];
  const outcomes = [];

  for (const d of all.values()) {
    if (d.subject.type !== 'cadre') continue;
    const data = { cadre: d.cadre, records: d.records, flags: d.flags, clues: d.clues };
    // Assessed once: the summary reuses it, and the unit's grade reads it as an outcome.
    const assessed = rules.assessCadre(data, ctx.asOf, ctx.config);
    const summary = rules.summarise(data, ctx.asOf, ctx.config, ctx.locale, { vocab, assessed });
    if (d.cadre) outcomes.push(assessed);
    const unitCode = d.cadre?.unitCode ?? own ?? '';
    out.push({
      type: 'cadre',
      id: d.subject.id,
      // A cadre whose own entry is invalid is still listed (by the name it claims, or its id), so
      // its records are not orphaned; `invalid` tells the overlay to show it as needing attention.
      name: d.cadre?.name ?? nameOfInvalid(d) ?? d.subject.id,
      aliases: d.cadre?.aliases ?? [],
      unitCode,
      unitName: unitName(unitCode),
      ...(d.cadre ? { post: d.cadre.post } : {}),
      ...summary,
      invalid: d.invalid.length,
    });
  }
  for (const d of all.values()) {
    if (d.subject.type !== 'unit') continue;
    const unit = d.unit ?? ctx.unit(d.subject.id);
    const data = {
      unit: unit ?? { code: d.subject.id, name: d.subject.id, aliases: [], kind: 'other' as const },
      records: d.records,
      flags: d.flags,
      clues: d.clues,
    };
    // The unit's grade reads its own cadres' outcomes (share with warnings, share at lowest grade).
    const summary = rules.summarise(data, ctx.asOf, ctx.config, ctx.locale, {
      vocab,
      cadres: d.subject.id === own ? outcomes : [],
    });
    out.push({
      type: 'unit',
      id: d.subject.id,
      name: unit?.name ?? d.subject.id,
      aliases: unit?.aliases ?? [],
      unitCode: d.subject.id,
      unitName: unit?.name ?? d.subject.id,
      ...summary,
      invalid: d.invalid.length,
    });
  }
  return out;
}
