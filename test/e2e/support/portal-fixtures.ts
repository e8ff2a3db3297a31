import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import messages from '../../../extension/public/_locales/zh_CN/messages.json';
import { accessibleName } from '../../../extension/overlay/badge.ts';
import { overlayTextFrom } from '../../../extension/overlay/text-table.ts';
import type { SubjectSummary } from '../../../core/model/summary.ts';
import { ROOT } from './extension.ts';
import type { DotRecord } from '../../../core/model/schemas.ts';
import { nodeWorkspace, type SeedData } from './seed.ts';

/**
 * The project's fixture portals (test/fixtures/portals) and the dossiers their names refer to,
 * shared by the overlay scenes in Chromium (overlay-*.e2e.ts) and Firefox (firefox.e2e.ts).
 */

const FIXTURES = join(ROOT, 'test/fixtures/portals');
/** The overlay's texts in zh-CN, to spell the badges' expected accessible names. */
export const tx = overlayTextFrom(messages);

/** The cadres PORTAL_SEED holds (expectedIndex waits for all of them). */
export const PORTAL_CADRES = 7;

/** Units and cadres the fixtures name, with look-alikes and a hostile name among them. */
export const PORTAL_SEED: SeedData = {
  units: [
    { code: 'U01', name: '市教育局', aliases: [], kind: 'government' },
    { code: 'U02', name: '市交通运输局', aliases: ['交通局'], kind: 'government' },
    { code: 'U03', name: '市财政局', aliases: [], kind: 'government' },
    { code: 'U04', name: '市卫生健康委员会', aliases: [], kind: 'government' },
  ],
  cadres: [
    {
      id: 'C001',
      name: '张伟',
      aliases: [],
      gender: 'male',
      birth: '1975-03',
      unitCode: 'U02',
      post: '副局长',
      rank: '副处级',
    },
    {
      id: 'C002',
      name: '张伟',
      aliases: [],
      gender: 'male',
      birth: '1970-08',
      unitCode: 'U01',
      post: '局长',
      rank: '正处级',
    },
    {
      id: 'C003',
      name: '王芳',
      aliases: ['王小芳'],
      gender: 'female',
      birth: '1982-01',
      unitCode: 'U01',
      post: '办公室主任',
      rank: '正科级',
    },
    {
      id: 'C004',
      name: '欧阳明',
      aliases: [],
      gender: 'male',
      birth: '1979-05',
      unitCode: 'U03',
      post: '科长',
      rank: '正科级',
    },
    {
      id: 'C005',
      name: '李娜',
      aliases: [],
      gender: 'female',
      birth: '1985-12',
      unitCode: 'U04',
      post: '副主任',
      rank: '副处级',
    },
    // A name a hostile or careless writer put markup in: it must stay text everywhere.
    {
      id: 'C006',
      name: '钱七<img src=x onerror=__pwned=9>',
      aliases: [],
      gender: 'male',
      birth: '1990-02',
      unitCode: 'U01',
      post: '科员',
      rank: '科员',
    },
    // A black dot whose influence period is long over (form-table.html): the card says so.
    {
      id: 'C007',
      name: '赵敏',
      aliases: [],
      gender: 'female',
      birth: '1980-04',
      unitCode: 'U04',
      post: '科长',
      rank: '正科级',
    },
  ],
  records: [
    {
      id: 'R1',
      subject: { type: 'cadre', id: 'C001' },
      colour: 'black',
      kind: 'party-warning',
      decisionDate: '2025-06-12',
      sourceDept: '市纪委监委',
      summary: '违规收受礼品',
      status: 'active',
    },
    {
      id: 'R2',
      subject: { type: 'cadre', id: 'C001' },
      colour: 'yellow',
      kind: 'reminder-talk',
      decisionDate: '2025-09-01',
      sourceDept: '市纪委监委',
      summary: '提醒谈话',
      status: 'active',
    },
    {
      id: 'R3',
      subject: { type: 'cadre', id: 'C002' },
      colour: 'red',
      kind: 'commendation',
      decisionDate: '2024-05-10',
      sourceDept: '市委组织部',
      summary: '年度嘉奖',
      status: 'active',
    },
    {
      id: 'R4',
      subject: { type: 'cadre', id: 'C002' },
      colour: 'red',
      kind: 'excellent-appraisal',
      decisionDate: '2025-01-10',
      sourceDept: '市委组织部',
      summary: '年度考核优秀',
      status: 'active',
    },
    {
      id: 'R5',
      subject: { type: 'cadre', id: 'C003' },
      colour: 'blue',
      kind: 'post-change',
      decisionDate: '2025-03-01',
      sourceDept: '市委组织部',
      summary: '职务变动',
      status: 'active',
    },
    {
      id: 'R6',
      subject: { type: 'cadre', id: 'C004' },
      colour: 'yellow',
      kind: 'admonishment',
      decisionDate: '2025-04-01',
      sourceDept: '市纪委监委',
      summary: '诫勉',
      status: 'active',
    },
    {
      id: 'R7',
      subject: { type: 'cadre', id: 'C005' },
      colour: 'red',
      kind: 'award',
      decisionDate: '2025-02-01',
      sourceDept: '市卫生健康委员会',
      summary: '通报表扬',
      status: 'active',
    },
    {
      id: 'R10',
      subject: { type: 'cadre', id: 'C007' },
      colour: 'black',
      kind: 'party-serious-warning',
      decisionDate: '2020-07-21',
      sourceDept: '市纪委监委',
      summary: '违规发放津贴',
      status: 'active',
    },
    {
      id: 'R8',
      subject: { type: 'cadre', id: 'C006' },
      colour: 'black',
      kind: 'gov-demerit',
      decisionDate: '2025-07-01',
      sourceDept: '市纪委监委',
      summary: '<script>__pwned=8</script>',
      status: 'active',
    },
  ],
  flags: [
    {
      id: 'F1',
      cadreId: 'C005',
      item: 'banquets',
      channel: 'public-report',
      date: '2025-10-08',
      status: 'verifying',
      summary: '接受宴请',
    },
  ],
};

/** A commendation for 王芳 (C003) that a colleague records elsewhere while her badge is on screen. */
export const WANG_FANG_COMMENDATION: DotRecord = {
  id: 'R9',
  subject: { type: 'cadre', id: 'C003' },
  colour: 'red',
  kind: 'commendation',
  decisionDate: '2025-08-01',
  sourceDept: '市委组织部',
  summary: '嘉奖',
  status: 'active',
};

const TYPES: Record<string, string> = { '.html': 'text/html', '.json': 'application/json', '.js': 'text/javascript' };

export function startFixtureServer(): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = normalize(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    try {
      const body = readFileSync(join(FIXTURES, path));
      // No charset in the header: the legacy page's own <meta charset=gbk> must decide.
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () =>
      ok({ origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }),
    ),
  );
}

/**
 * What the extension's index will hold for `token`, computed by the same library from the same
 * server: the expected badges are spelled from it.
 */
export async function expectedIndex(serverUrl: string, token: string, cadres: number): Promise<SubjectSummary[]> {
  const ws = await nodeWorkspace(serverUrl, token);
  try {
    await ws.workspaceSynced.whenSynced();
    await ws.openUnits();
    for (const d of ws.docs()) await d.whenSynced();
    await until(() => ws.index.all().filter((s) => s.type === 'cadre').length === cadres);
    return ws.index.all();
  } finally {
    await ws.close();
  }
}

/**
 * The accessible name of the badge expected for `who`: a cadre or unit id (C…/U…), or `?N` for
 * a name N cadres share; `name` is the text the badge is about.
 */
export function expectedLabel(index: SubjectSummary[], who: string, name: string): string {
  if (who.startsWith('?'))
    return accessibleName({ kind: 'ambiguous', candidates: new Array(Number(who.slice(1))).fill(index[0]) }, name, tx);
  const type = who.startsWith('U') ? 'unit' : 'cadre';
  const s = index.find((x) => x.type === type && x.id === who);
  if (!s) throw new Error(`${type} ${who} not in the index`);
  return accessibleName({ kind: 'subject', subject: s, by: 'unique' }, name, tx);
}

/**
 * Strings only the dossiers hold — the badges' words and glyphs, grades' reasons, warnings,
 * periods — which the privacy probe (fixtures/portals/probe.js) must never find in a page.
 */
export function dossierOnlyStrings(index: SubjectSummary[]): string[] {
  const forbidden = new Set(['红点', '蓝点', '黄点', '黑点', '等次', '预警', '负面清单', '人同名', '●', '■', '▲', '○']);
  for (const s of index) {
    if (s.gradeReason) forbidden.add(s.gradeReason);
    for (const w of s.warnings) forbidden.add(w);
    for (const p of s.periods) forbidden.add(p);
    for (const p of s.endedPeriods ?? []) forbidden.add(p);
  }
  return [...forbidden];
}

/** A page of either browser driver (Playwright's or Puppeteer's), as far as the probe needs it. */
interface ProbedPage {
  addScriptTag(o: { url: string }): Promise<unknown>;
  evaluate(fn: (f: string[]) => string[], forbidden: string[]): Promise<string[]>;
}

/** Runs the privacy probe (fixtures/portals/probe.js) in `page`: what of `forbidden` it found there. */
export async function runProbe(page: ProbedPage, origin: string, forbidden: string[]): Promise<string[]> {
  await page.addScriptTag({ url: `${origin}/probe.js` });
  return page.evaluate((f) => (window as unknown as { __probe(f: string[]): string[] }).__probe(f), forbidden);
}

/** Polls outside a test (expect.poll is for tests): setup waits for the synced index. */
export async function until(ok: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error('timed out waiting for setup');
    await new Promise((r) => setTimeout(r, 100));
  }
}
