import { generateCity, type DemoCity } from '../../../core/demo/index.ts';
import { importCity } from '../../../demo/load-city.ts';
import { openImportTarget } from '../../../tools/import-sheet.ts';
import { startTestServer, type TestServer } from './server.ts';

/**
 * The demo city 澜江市 (98 units, 1,072 cadres) loaded into a test server the way `npm start`
 * loads it (`demo/load-city.ts`): its departmental files through the spreadsheet import, as an
 * admin client of the server. Returns the generated city, so a test can compute what it expects
 * independently.
 */
export async function loadDemoCity(serverUrl: string, adminToken: string): Promise<DemoCity> {
  const city = generateCity();
  const target = await openImportTarget(serverUrl, adminToken);
  try {
    await importCity(target, city);
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
