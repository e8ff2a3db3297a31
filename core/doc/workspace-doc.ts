import * as v from 'valibot';
import type * as Y from 'yjs';
import { defaultConfig, workspaceConfigSchema, type WorkspaceConfig } from '../model/config.ts';
import { describeIssues, type FieldError } from '../model/messages.ts';
import { unitSchema, type Unit } from '../model/schemas.ts';
import { cardTemplateSchema, type CardTemplate } from '../model/workflow-schemas.ts';
import { collection, type Collection } from './collection.ts';
import { docContext, type AccessorOptions } from './context.ts';
import { decodeEntity, encodeEntity, sameJson, stripUndefined, type WriteResult } from './entry.ts';

/**
 * The `workspace` document: configuration, the unit directory and reminder-card templates; admins
 * write it. The
 * configuration is stored one key per section (negative list, kinds, grade scheme, …) so two admins
 * editing different sections at once both keep their change.
 */

export const CONFIG = 'config';
export const WORKSPACE_COLLECTIONS = {
  units: { name: 'units', schema: unitSchema, idField: 'code' },
  /** Reminder-card duty lists per holder type and quarter (core/workflow/card-flow.ts). */
  cardTemplates: { name: 'cardTemplates', schema: cardTemplateSchema, idField: 'id' },
} as const;

export type ConfigSection = keyof WorkspaceConfig;
export const CONFIG_SECTIONS = Object.keys(workspaceConfigSchema.entries) as ConfigSection[];

export interface ConfigRead {
  /** Always usable: a missing or invalid section falls back to the default, and is listed below. */
  value: WorkspaceConfig;
  invalid: { section: ConfigSection; raw: unknown; errors: FieldError[] }[];
  /** Sections never set in this workspace (the defaults apply). */
  defaulted: ConfigSection[];
}

export interface WorkspaceDoc {
  readonly doc: Y.Doc;
  config: {
    get(): ConfigRead;
    set<K extends ConfigSection>(section: K, value: WorkspaceConfig[K]): WriteResult;
  };
  units: Collection<Unit>;
  cardTemplates: Collection<CardTemplate>;
}

export function workspaceDoc(doc: Y.Doc, opts: AccessorOptions = {}): WorkspaceDoc {
  const ctx = docContext(doc, opts);
  const config = doc.getMap<unknown>(CONFIG);
  const sectionSchema = (s: ConfigSection) => workspaceConfigSchema.entries[s] as v.GenericSchema;
  return {
    doc,
    config: {
      get() {
        const value = defaultConfig();
        const out: ConfigRead = { value, invalid: [], defaulted: [] };
        for (const section of CONFIG_SECTIONS) {
          if (!config.has(section)) {
            out.defaulted.push(section);
            continue;
          }
          const raw = decodeEntity(config.get(section));
          const r = v.safeParse(sectionSchema(section), raw);
          if (r.success) (value as Record<string, unknown>)[section] = r.output;
          else out.invalid.push({ section, raw, errors: describeIssues(r.issues, ctx.locale) });
        }
        return out;
      },
      set(section, value) {
        const refused = ctx.writable();
        if (refused) return refused;
        const r = v.safeParse(sectionSchema(section), value);
        if (!r.success) return { ok: false, errors: describeIssues(r.issues, ctx.locale) };
        const stored = stripUndefined(r.output);
        if (config.has(section) && sameJson(decodeEntity(config.get(section)), stored))
          return { ok: true, changed: false };
        doc.transact(() => {
          ctx.stamp();
          config.set(section, encodeEntity(stored));
        });
        return { ok: true, changed: true };
      },
    },
    units: collection<Unit>(doc, WORKSPACE_COLLECTIONS.units, ctx),
    cardTemplates: collection<CardTemplate>(doc, WORKSPACE_COLLECTIONS.cardTemplates, ctx),
  };
}
