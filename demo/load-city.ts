import { today } from '../core/dates.ts';
import { demoFiles, loadFiles, type DemoCity, type LoadReport } from '../core/demo/index.ts';
import { defaultConfig } from '../core/model/config.ts';
import { unitsTouched } from '../core/import/workspace-target.ts';
import type { RemoteTarget } from '../tools/import-sheet.ts';

/**
 * Loads a generated city into a running server the way a clerk would: its departmental files
 * through the spreadsheet import, as a client of the server (`target` from `openImportTarget`).
 * `npm start` and the end-to-end tests load the demo city with this one function, so what the tests
 * see is what a new user sees. Throws, naming the files, when a file is refused.
 */
export async function importCity(
  target: RemoteTarget,
  city: DemoCity,
  onFile?: (report: LoadReport) => void,
): Promise<LoadReport[]> {
  const files = await demoFiles(city, defaultConfig());
  const reports = await loadFiles(target, files, {
    by: 'demo-loader',
    today: today(),
    config: target.workspace.config.get().value,
    beforeApply: (p) => target.ensureUnits(unitsTouched(p)),
    ...(onFile ? { onFile } : {}),
  });
  const failed = reports.filter((r) => !r.result.ok);
  if (failed.length) throw new Error(`demo import failed: ${failed.map((r) => r.file).join(', ')}`);
  return reports;
}
