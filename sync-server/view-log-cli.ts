/**
 * `npm run cli -- views --subject ID | --user U [--since DATE] [--limit N] [--json]`: who viewed a
 * cadre (or unit), or what a user viewed, from the view log (view-log.ts). Like `audit`, it reads
 * the store directly, also while the server runs: reading takes no lock and changes nothing.
 */
import * as v from 'valibot';
import { withStorage } from './admin.ts';
import { formatTable } from './cli-table.ts';
import type { ViewEntry } from './storage/types.ts';
import { viewToJson } from './view-log.ts';

export interface ViewsArgs {
  subject?: string | undefined;
  user?: string | undefined;
  since?: string | undefined;
  limit?: string | undefined;
  json?: boolean | undefined;
}

/** What is wrong with the arguments, as the CLI's usage error says it. */
export class ViewsUsageError extends Error {}

const sinceSchema = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/u),
  v.check((text) => !Number.isNaN(Date.parse(text))),
);

export async function viewsCommand(dataDir: string, args: ViewsArgs, out: (line: string) => void): Promise<void> {
  if ((args.subject === undefined) === (args.user === undefined))
    throw new ViewsUsageError('views needs exactly one of --subject ID or --user U');
  if (args.since !== undefined && !v.is(sinceSchema, args.since))
    throw new ViewsUsageError(`--since ${args.since}: expected a date such as 2026-01-31 or 2026-01-31T08:00Z`);
  const limit = args.limit === undefined ? 1000 : Number(args.limit);
  if (!Number.isSafeInteger(limit) || limit < 1) throw new ViewsUsageError('--limit: a whole number, 1 or more');
  const entries = await withStorage(dataDir, (storage) =>
    storage.views({
      ...(args.subject !== undefined ? { subjectId: args.subject } : {}),
      ...(args.user !== undefined ? { user: args.user } : {}),
      // A bare date is midnight UTC, as Date.parse reads it.
      ...(args.since !== undefined ? { since: Date.parse(args.since) } : {}),
      limit,
    }),
  );
  if (args.json) out(JSON.stringify(entries.map(viewToJson)));
  else out(formatViewsTable(entries));
}

export function formatViewsTable(entries: ViewEntry[]): string {
  if (entries.length === 0) return 'no views recorded';
  const header = ['recorded', 'opened (device)', 'user', 'name', 'subject', 'unit', 'view'];
  const rows = entries.map((e) => [
    new Date(e.time).toISOString(),
    new Date(e.clientTime).toISOString(),
    e.user,
    e.name,
    `${e.subjectType}:${e.subjectId}`,
    e.unit,
    e.view,
  ]);
  return formatTable(header, rows);
}
