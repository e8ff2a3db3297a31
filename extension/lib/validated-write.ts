import { today } from '../../core/dates.ts';
import * as v from 'valibot';
import type { WorkspaceConfig } from '../../core/model/config.ts';
import { describeIssues, type FieldError } from '../../core/model/messages.ts';
import { entitySchemas, type EntitySchemas } from '../../core/model/schemas.ts';
import { uiLocale } from './i18n.ts';

type Written = { ok: true } | { ok: false; errors: FieldError[] };

/**
 * A form's write: validated with the core schema for new input (today's date, this workspace's
 * vocabularies), then written through the accessor, which validates again. Returns the errors to
 * show under their fields, in the user's language, or none when the entity was written: nothing is
 * written while anything is wrong.
 */
export function writeValidated<K extends keyof EntitySchemas>(
  kind: K,
  config: WorkspaceConfig,
  input: unknown,
  write: (value: v.InferOutput<EntitySchemas[K]>) => Written,
): FieldError[] {
  const parsed = v.safeParse(entitySchemas({ today: today(), config })[kind], input);
  if (!parsed.success) return describeIssues(parsed.issues, uiLocale());
  const written = write(parsed.output as v.InferOutput<EntitySchemas[K]>);
  return written.ok ? [] : written.errors;
}
