/**
 * `npm start`: the whole product on one machine, from one command.
 *
 *   npm start [-- --open] [--no-build] [--data DIR] [--port P] [--portal-port P] [--host H]
 *
 * 1. builds the extension with the demo portal preset as a portal (DOSSIER_LENS_PORTALS), so its
 *    overlay badges the portal with no clicks (skipped with --no-build when a build exists);
 * 2. starts the sync server on the embedded SQLite default in DIR/sync-server (default ./.data);
 * 3. when the data directory is new, loads the demo city (澜江市) THROUGH THE IMPORT, as a client of
 *    the running server with an admin token — exactly what a clerk's spreadsheet import does;
 * 4. serves the demo portal on loopback;
 * 5. prints what to do next: the unpacked extension's folder, the server URL, a ready token and the
 *    portal's address; with --open it launches Chromium with the extension loaded.
 * Ctrl-C stops everything (Chromium, portal, server — which flushes and compacts) and exits.
 *
 * The lines starting with "  extension:", "  server:", "  token:" and "  portal:" are stable: the
 * end-to-end test reads them.
 */
import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_CITY, DEMO_COMMISSION, DEMO_REMINDER_CARDS, generateCity } from '../core/demo/index.ts';
import { issueToken } from '../sync-server/admin.ts';
import { openImportTarget } from '../tools/import-sheet.ts';
import { importCity } from './load-city.ts';
import { startPortal } from './portal/server.ts';
import { startServer } from '../sync-server/server.ts';

const ROOT = resolve(import.meta.dirname, '..');
const EXTENSION_DIR = join(ROOT, '.output/chrome-mv3');

const { values } = parseArgs({
  options: {
    open: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    data: { type: 'string', default: process.env.DOSSIER_LENS_DATA ?? '.data' },
    port: { type: 'string', default: process.env.DOSSIER_LENS_PORT ?? '1234' },
    'portal-port': { type: 'string', default: '8765' },
    host: { type: 'string', default: '127.0.0.1' },
  },
  strict: true,
});

const dataDir = resolve(values.data!);
const serverDir = join(dataDir, 'sync-server');
const demoMarker = join(dataDir, 'demo-loaded.json');
const host = values.host!;
// Match patterns ignore the port, so the preset works whichever port the portal gets.
const portalPattern = `http://${host}/*`;
const say = (line = '') => process.stdout.write(line + '\n');

const stops: (() => Promise<void> | void)[] = [];
let stopping = false;
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    for (const s of stops.reverse()) {
      try {
        await s();
      } catch (error) {
        process.stderr.write(`while stopping: ${(error as Error).message}\n`);
      }
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

function builtWithPortal(): boolean {
  const manifest = join(EXTENSION_DIR, 'manifest.json');
  if (!existsSync(manifest)) return false;
  const m = JSON.parse(readFileSync(manifest, 'utf8')) as { host_permissions?: string[] };
  return (m.host_permissions ?? []).includes(portalPattern);
}

function build(): void {
  if (values['no-build'] && existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    if (!builtWithPortal())
      say(`注意：现有构建未预置 ${portalPattern}，请在扩展选项页添加该站点，或去掉 --no-build 重新构建。`);
    return;
  }
  say('构建扩展… (wxt build)');
  execFileSync('npx', ['wxt', 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DOSSIER_LENS_PORTALS: portalPattern },
  });
}

async function loadDemo(serverUrl: string): Promise<void> {
  const { token } = issueToken(serverDir, {
    user: 'demo-loader',
    name: '演示数据导入',
    grants: [{ role: 'admin', doc: '*' }],
    ttlSeconds: 3600,
  });
  const city = generateCity();
  say(
    `首次启动：通过导入功能载入演示城市「${DEMO_CITY}」（${city.units.length} 个单位，${city.cadres.length} 名市管干部）…`,
  );
  const target = await openImportTarget(serverUrl, token);
  try {
    await importCity(target, city, (r) => {
      const counts = r.result.ok
        ? Object.entries(r.result.counts)
            .map(([k, c]) => `${k} +${c.created}`)
            .join(' ')
        : `失败：${r.result.reason}`;
      say(
        `  导入 ${r.file}：${r.preview.rowsRead} 行，${counts}${r.preview.problems.length ? `，${r.preview.problems.length} 行有问题` : ''}`,
      );
    });
    // Who the demo commission is on its letters and cards (docs/workflows.md).
    for (const r of [
      target.workspace.config.set('commission', DEMO_COMMISSION),
      target.workspace.config.set('reminderCards', DEMO_REMINDER_CARDS),
    ]) {
      if (!r.ok) throw new Error(`demo configuration refused: ${r.errors.map((e) => e.message).join('; ')}`);
    }
  } finally {
    await target.close();
  }
  writeFileSync(demoMarker, JSON.stringify({ city: DEMO_CITY, loadedAt: new Date().toISOString() }) + '\n');
}

function findChromium(): string | undefined {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
  ];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

async function main(): Promise<void> {
  build();
  mkdirSync(serverDir, { recursive: true });
  const server = await startServer({
    host,
    port: Number(values.port),
    dataDir: serverDir,
    logLevel: 'warn',
    // Server log lines go to a file so the console keeps only the instructions.
    logSink: (line) => writeFileSync(join(dataDir, 'server.log'), line + '\n', { flag: 'a' }),
  });
  stops.push(() => server.close());
  if (!existsSync(demoMarker)) await loadDemo(server.url);
  const portal = await startPortal({ host, port: Number(values['portal-port']) });
  stops.push(() => portal.close());

  const { token, payload } = issueToken(serverDir, {
    user: 'demo-officer',
    name: '演示用户',
    grants: [{ role: 'admin', doc: '*' }],
    ttlSeconds: 12 * 3600,
  });
  const expires = new Date(payload.exp * 1000).toISOString().replace('T', ' ').slice(0, 16);
  say('');
  say('Dossier Lens 演示环境已就绪 / the demo is running');
  say(`  extension: ${EXTENSION_DIR}`);
  say(`  server: ${server.url}`);
  say(`  token: ${token}`);
  say(`  portal: ${portal.url}`);
  say('');
  say('接下来 / next:');
  say(
    `  1. Chromium/Chrome 打开 chrome://extensions ，开启“开发者模式”，“加载已解压的扩展程序”，选择上面的 extension 目录。`,
  );
  say(`  2. 在扩展的选项页填入服务器地址与访问令牌（管理员，${expires} UTC 前有效），点击“连接”。`);
  say(`  3. 打开演示门户 ${portal.url} ：干部名册、干部信息表、新版查询页中的姓名旁会出现档案徽标。`);
  say(`  （或使用 npm start -- --open 自动启动已加载扩展的 Chromium。）按 Ctrl-C 停止全部服务。`);

  if (values.open) {
    const chromium = findChromium();
    if (!chromium) say('未找到 Chromium，请按上面步骤手动加载扩展。');
    else {
      const child: ChildProcess = spawn(
        chromium,
        [
          `--user-data-dir=${join(dataDir, 'chromium-profile')}`,
          `--load-extension=${EXTENSION_DIR}`,
          `--disable-extensions-except=${EXTENSION_DIR}`,
          '--disable-features=DisableLoadExtensionCommandLineSwitch',
          '--no-first-run',
          portal.url,
          'chrome://extensions',
        ],
        { stdio: 'ignore' },
      );
      stops.push(() => {
        if (child.exitCode === null) child.kill('SIGTERM');
      });
      say(`已启动 Chromium（${chromium}）。`);
    }
  }
}

main().catch((error: Error) => {
  process.stderr.write(`npm start failed: ${error.message}\n`);
  void stop(1);
});
