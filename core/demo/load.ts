import type { IsoDate } from '../dates.ts';
import type { WorkspaceConfig } from '../model/config.ts';
import { applyImport, directoryFromTarget, newImportId, type ApplyResult, type ImportTarget } from '../import/apply.ts';
import { prepareImport, type ImportPreview } from '../import/prepare.ts';
import { readTable } from '../import/table.ts';
import type { DemoFile } from './files.ts';

/**
 * Loads files through the import, in order, as a clerk would: each file is read, its columns
 * guessed, its rows validated against the workspace, and its good rows applied. The directory is
 * read again before each file, so the roster imported first is what the records are checked against.
 */
export interface LoadReport {
  file: string;
  preview: Pick<ImportPreview, 'kind' | 'rowsRead' | 'problems'>;
  result: ApplyResult;
}

export async function loadFiles(
  target: ImportTarget,
  files: readonly DemoFile[],
  opts: {
    by: string;
    today: IsoDate;
    config: Pick<WorkspaceConfig, 'kinds' | 'negativeList' | 'channels'>;
    now?: () => Date;
    /** Runs between validation and the (synchronous) apply, e.g. to open the documents it writes. */
    beforeApply?: (preview: ImportPreview) => Promise<void>;
    onFile?: (report: LoadReport) => void;
  },
): Promise<LoadReport[]> {
  const reports: LoadReport[] = [];
  for (const f of files) {
    const table = await readTable(f.bytes, f.name);
    const preview = prepareImport(table, {
      today: opts.today,
      config: opts.config,
      directory: directoryFromTarget(target),
    });
    await opts.beforeApply?.(preview);
    const now = opts.now?.() ?? new Date();
    const result = applyImport(
      target,
      preview,
      { id: newImportId(now), by: opts.by, at: now.toISOString(), fileName: f.name },
      'good-rows',
    );
    const report: LoadReport = {
      file: f.name,
      preview: { kind: preview.kind, rowsRead: preview.rowsRead, problems: preview.problems },
      result,
    };
    opts.onFile?.(report);
    reports.push(report);
  }
  return reports;
}
