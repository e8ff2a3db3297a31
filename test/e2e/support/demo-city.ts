import { today } from '../../../core/dates.ts';
import { demoFiles, generateCity, loadFiles, type DemoCity } from '../../../core/demo/index.ts';
import { defaultConfig } from '../../../core/model/config.ts';
import { unitsTouched } from '../../../core/import/workspace-target.ts';
import { openImportTarget } from '../../../tools/import-sheet.ts';
import { startTestServer, type TestServer } from './server.ts';

/**
 * The demo city 澜江市 (98 units, 1,072 cadres) loaded into a test server the way `npm start`
 * loads it: its departmental files through the spreadsheet import, as an admin client of the
 * server. Returns the generated city, so a test can compute what it expects independently.
 */
export async function loadDemoCity(serverUrl: string, adminToken: string): Promise<DemoCity> {
  const city = generateCity();
  const files = await demoFiles(city, defaultConfig());
  const target = await openImportTarget(serverUrl, adminToken);
  try {
    const reports = await loadFiles(target, files, {
      by: 'demo-loader',
      today: today(),
      config: target.workspace.config.get().value,
      beforeApply: (p) => target.ensureUnits(unitsTouched(p)),
    });
    const failed = reports.filter((r) => !r.result.ok);
    if (failed.length) throw new Error(`demo import failed: ${failed.map((r) => r.file).join(', ')}`);
  } finally {
    await target.close();
  }
  return city;
}

/** A test server holding the demo city, loaded by an admin (导入员) as `npm start` loads it. */
export async function demoCityServer(): Promise<{ server: TestServer; city: DemoCity }> {
  const server = await startTestServer();
  const admin = server.token({ user: 'loader', name: '导入员', grants: [{ role: 'admin', doc: '*' }] });
  return { server, city: await loadDemoCity(server.url, admin) };
}
