import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import messages from '../../extension/public/_locales/zh_CN/messages.json';
import { accessibleName } from '../../extension/overlay/badge.ts';
import { overlayTextFrom } from '../../extension/overlay/text-table.ts';
import type { SubjectSummary } from '../../core/model/summary.ts';
import { launchExtension, ROOT, saveScreenshot, startTestServer, type ExtensionBrowser, type TestServer } from './support/index.ts';
import { nodeWorkspace, seed, type SeedData } from './support/seed.ts';

/**
 * The portal overlay end to end: dossiers seeded through the real server, an officer enrolled
 * in the built extension, the project's fixture portals served on loopback and preset as portals
 * (as DOSSIER_LENS_PORTALS would). Badges live in closed shadow roots, so the test reads them
 * the way assistive technology does — through the DevTools protocol (DOM with `pierce` and the
 * accessibility tree) — while a page script proves the page itself cannot.
 */

const FIXTURES = join(ROOT, 'test/fixtures/portals');
const tx = overlayTextFrom(messages);

const SEED: SeedData = {
  units: [
    { code: 'U01', name: '市教育局', aliases: [], kind: 'government' },
    { code: 'U02', name: '市交通运输局', aliases: ['交通局'], kind: 'government' },
    { code: 'U03', name: '市财政局', aliases: [], kind: 'government' },
    { code: 'U04', name: '市卫生健康委员会', aliases: [], kind: 'government' },
  ],
  cadres: [
    { id: 'C001', name: '张伟', aliases: [], gender: 'male', birth: '1975-03', unitCode: 'U02', post: '副局长', rank: '副处级' },
    { id: 'C002', name: '张伟', aliases: [], gender: 'male', birth: '1970-08', unitCode: 'U01', post: '局长', rank: '正处级' },
    { id: 'C003', name: '王芳', aliases: ['王小芳'], gender: 'female', birth: '1982-01', unitCode: 'U01', post: '办公室主任', rank: '正科级' },
    { id: 'C004', name: '欧阳明', aliases: [], gender: 'male', birth: '1979-05', unitCode: 'U03', post: '科长', rank: '正科级' },
    { id: 'C005', name: '李娜', aliases: [], gender: 'female', birth: '1985-12', unitCode: 'U04', post: '副主任', rank: '副处级' },
    // A name a hostile or careless writer put markup in: it must stay text everywhere.
    { id: 'C006', name: '钱七<img src=x onerror=__pwned=9>', aliases: [], gender: 'male', birth: '1990-02', unitCode: 'U01', post: '科员', rank: '科员' },
  ],
  records: [
    { id: 'R1', subject: { type: 'cadre', id: 'C001' }, colour: 'black', kind: 'party-warning', decisionDate: '2025-06-12', sourceDept: '市纪委监委', summary: '违规收受礼品', status: 'active' },
    { id: 'R2', subject: { type: 'cadre', id: 'C001' }, colour: 'yellow', kind: 'reminder-talk', decisionDate: '2025-09-01', sourceDept: '市纪委监委', summary: '提醒谈话', status: 'active' },
    { id: 'R3', subject: { type: 'cadre', id: 'C002' }, colour: 'red', kind: 'commendation', decisionDate: '2024-05-10', sourceDept: '市委组织部', summary: '年度嘉奖', status: 'active' },
    { id: 'R4', subject: { type: 'cadre', id: 'C002' }, colour: 'red', kind: 'excellent-appraisal', decisionDate: '2025-01-10', sourceDept: '市委组织部', summary: '年度考核优秀', status: 'active' },
    { id: 'R5', subject: { type: 'cadre', id: 'C003' }, colour: 'blue', kind: 'post-change', decisionDate: '2025-03-01', sourceDept: '市委组织部', summary: '职务变动', status: 'active' },
    { id: 'R6', subject: { type: 'cadre', id: 'C004' }, colour: 'yellow', kind: 'admonishment', decisionDate: '2025-04-01', sourceDept: '市纪委监委', summary: '诫勉', status: 'active' },
    { id: 'R7', subject: { type: 'cadre', id: 'C005' }, colour: 'red', kind: 'award', decisionDate: '2025-02-01', sourceDept: '市卫生健康委员会', summary: '通报表扬', status: 'active' },
    { id: 'R8', subject: { type: 'cadre', id: 'C006' }, colour: 'black', kind: 'gov-demerit', decisionDate: '2025-07-01', sourceDept: '市纪委监委', summary: '<script>__pwned=8</script>', status: 'active' },
  ],
  flags: [{ id: 'F1', cadreId: 'C005', item: 'banquets', channel: 'public-report', date: '2025-10-08', status: 'verifying', summary: '接受宴请' }],
};

// ---- the fixture portal -------------------------------------------------------------------------

const TYPES: Record<string, string> = { '.html': 'text/html', '.json': 'application/json', '.js': 'text/javascript' };

function startFixtureServer(): Promise<{ origin: string; server: Server }> {
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
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

// ---- reading badges through the DevTools protocol ------------------------------------------------

interface CdpNode {
  nodeType: number;
  nodeName: string;
  nodeValue: string;
  attributes?: string[];
  children?: CdpNode[];
  shadowRoots?: CdpNode[];
  shadowRootType?: string;
  contentDocument?: CdpNode;
  backendNodeId: number;
}

interface SeenBadge {
  /** The page text right before the badge (the text node it follows). */
  after: string;
  label: string;
  button: number;
  /** 'closed' for every badge; and no <style>/<link> of its own (one adopted sheet for all). */
  rootType: string;
  ownStyles: number;
  /** Attributes on the host element in the page (only the guard `style`). */
  hostAttributes: string[];
}

const attr = (n: CdpNode, name: string) => {
  const a = n.attributes ?? [];
  for (let i = 0; i < a.length; i += 2) if (a[i] === name) return a[i + 1];
  return undefined;
};

function countStyles(n: CdpNode): number {
  return (n.nodeName === 'STYLE' || n.nodeName === 'LINK' ? 1 : 0) + (n.children ?? []).reduce((a, c) => a + countStyles(c), 0);
}

function badgeButton(host: CdpNode): CdpNode | undefined {
  const root = host.shadowRoots?.[0];
  const find = (n: CdpNode): CdpNode | undefined => {
    if (n.nodeName === 'BUTTON' && attr(n, 'aria-label')) return n;
    for (const c of n.children ?? []) {
      const f = find(c);
      if (f) return f;
    }
    return undefined;
  };
  return root ? find(root) : undefined;
}

/** Every badge on the page, in document order, with the text it follows. */
async function badges(page: Page): Promise<SeenBadge[]> {
  const cdp = await page.context().newCDPSession(page);
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as unknown as { root: CdpNode };
  await cdp.detach();
  const out: SeenBadge[] = [];
  const walk = (n: CdpNode) => {
    let lastText = '';
    for (const c of n.children ?? []) {
      if (c.nodeType === 3) lastText = c.nodeValue;
      const button = c.nodeName === 'SPAN' && c.shadowRoots?.length ? badgeButton(c) : undefined;
      if (button) {
        const root = c.shadowRoots![0]!;
        out.push({
          after: lastText.trim(),
          label: attr(button, 'aria-label')!,
          button: button.backendNodeId,
          rootType: root.shadowRootType ?? '',
          ownStyles: countStyles(root),
          hostAttributes: (c.attributes ?? []).filter((_, i) => i % 2 === 0),
        });
      }
      else walk(c);
    }
    for (const s of n.shadowRoots ?? []) walk(s);
    if (n.contentDocument) walk(n.contentDocument);
  };
  walk(root);
  return out;
}

/** Names of the buttons in the accessibility tree (what a screen reader announces). */
async function accessibleButtons(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { role?: { value: string }; name?: { value: string } }[] };
  await cdp.detach();
  return nodes.filter((n) => n.role?.value === 'button').map((n) => n.name?.value ?? '');
}

async function clickBackendNode(page: Page, backendNodeId: number, how: 'click' | 'hover' = 'click'): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.scrollIntoViewIfNeeded', { backendNodeId });
  const { model } = (await cdp.send('DOM.getBoxModel', { backendNodeId })) as { model: { content: number[] } };
  await cdp.detach();
  const [x1, y1, , , x3, y3] = model.content as [number, number, number, number, number, number];
  const x = (x1 + x3) / 2;
  const y = (y1 + y3) / 2;
  if (how === 'click') await page.mouse.click(x, y);
  else await page.mouse.move(x, y);
}

/** Polls outside a test (expect.poll is for tests): setup waits for the synced index. */
async function until(ok: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error('timed out waiting for setup');
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---- the tests ----------------------------------------------------------------------------------

describe('portal overlay', () => {
  let server: TestServer;
  let ext: ExtensionBrowser;
  let fixtures: { origin: string; server: Server };
  let index: SubjectSummary[] = [];
  let admin = '';

  const subject = (type: 'cadre' | 'unit', id: string) => {
    const s = index.find((x) => x.type === type && x.id === id);
    if (!s) throw new Error(`${type} ${id} not in the index`);
    return s;
  };
  /** The badge expected after `after`: a cadre or unit by id, or `?N` for an ambiguous name. */
  const want = (after: string, who: string, name = after): [string, string] => {
    if (who.startsWith('?')) return [after, accessibleName({ kind: 'ambiguous', candidates: new Array(Number(who.slice(1))).fill(index[0]) }, name, tx)];
    const s = who.startsWith('U') ? subject('unit', who) : subject('cadre', who);
    return [after, accessibleName({ kind: 'subject', subject: s, by: 'unique' }, name, tx)];
  };
  const seen = async (page: Page) => (await badges(page)).map((b) => [b.after, b.label] as [string, string]);
  const open = async (file: string) => {
    const page = await ext.context.newPage();
    await page.goto(`${fixtures.origin}/${file}`);
    return page;
  };

  beforeAll(async () => {
    server = await startTestServer();
    admin = server.token({ user: 'seed', name: '种子', grants: [{ role: 'admin', doc: 'workspace' }, { role: 'editor', doc: 'unit:*' }] });
    await seed(server.url, admin, SEED);
    const officer = server.token({ user: 'officer', name: '李四', grants: [{ role: 'viewer', doc: 'workspace' }, { role: 'viewer', doc: 'unit:*' }] });

    // What the extension's index will hold, computed by the same library from the same server.
    const ws = await nodeWorkspace(server.url, officer);
    try {
      await ws.workspaceSynced.whenSynced();
      await ws.openUnits();
      for (const d of ws.docs()) await d.whenSynced();
      await until(() => ws.index.all().filter((s) => s.type === 'cadre').length === 6);
      index = ws.index.all();
    } finally {
      await ws.close();
    }

    fixtures = await startFixtureServer();
    ext = await launchExtension({ portals: ['http://127.0.0.1/*'] });
    const options = await ext.page('options.html');
    await options.getByLabel('服务器地址').fill(server.url);
    await options.getByLabel('访问令牌').fill(officer);
    await options.getByRole('button', { name: '连接' }).click();
    await options.getByTestId('whoami-name').getByText('李四').waitFor({ timeout: 20_000 });
    await options.close();
  });

  afterAll(async () => {
    await ext?.close();
    await server?.close();
    fixtures?.server.close();
  });

  test('legacy GBK roster: right badges on right names, none on look-alikes, ambiguity shown', async () => {
    const page = await open('legacy-gbk.html');
    // The page decoded as GBK (its only charset signal is the meta tag).
    expect(await page.locator('#roster tr').nth(3).locator('td').nth(1).textContent()).toBe('王芳芳');
    const expected = [
      want('张伟', 'C001'),
      want('市交通运输局', 'U02'),
      want('张伟', 'C002'),
      want('市教育局', 'U01'),
      want('市教育局', 'U01'), // 王芳芳's row: the unit, not the look-alike
      want('张伟', '?2'), // a third 张伟 at 市财政局: neither known one
      want('市财政局', 'U03'),
      want('欧阳明', 'C004'),
      want('市财政局', 'U03'),
      want('李娜', 'C005'), // inside the page's own link
      want('市卫生健康委员会', 'U04'),
      want('王　芳', 'C003'), // a two-character name padded with a full-width space
      want('市教育局', 'U01'),
    ];
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual(expected);
    // Every badge: a closed shadow root, no stylesheet of its own, nothing but the guard style on the host.
    for (const b of await badges(page)) {
      expect(b.rootType).toBe('closed');
      expect(b.ownStyles).toBe(0);
      expect(b.hostAttributes).toEqual(['style']);
    }
    // Screen readers get the same names from the accessibility tree.
    const ax = await accessibleButtons(page);
    for (const [, label] of expected) expect(ax).toContain(label);
    expect(ax.find((n) => n.startsWith('张伟 · '))).toMatch(/黑点1/);
    await saveScreenshot(page, 'overlay-roster');
    await page.close();
  });

  test('profile form: text badged, inputs, textarea and editable regions never; open shadow roots yes', async () => {
    const page = await open('profile.html');
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual([
      want('王芳', 'C003'),
      want('市教育局', 'U01'),
      // In the web component's open shadow root, mid-sentence: badges after the text, named.
      want('考察组成员：李娜（市卫生健康委员会）', 'C005', '李娜'),
      want('考察组成员：李娜（市卫生健康委员会）', 'U04', '市卫生健康委员会'),
    ]);
    // What the user is typing stays exactly as typed.
    expect(await page.locator('#candidate').inputValue()).toBe('张伟');
    expect(await page.locator('#opinion').inputValue()).toBe('张伟同志、李娜同志均符合条件');
    expect(await page.locator('#notes').evaluate((e) => e.childNodes.length)).toBe(1);
    await page.close();
  });

  test('prose letter: each sentence resolves its own 张伟; look-alikes none; srcdoc frame scanned', async () => {
    const page = await open('letter.html');
    const p2 = '经研究，市教育局局长张伟同志拟参加年度评优。另，市交通运输局副局长张伟同志已于上月调离原岗位。';
    const p3 = '张伟同志的有关情况另行报送。王芳芳同志、欧阳明华同志不在本次范围，会议由王芳主持。';
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual([
      want(p2, 'U01', '市教育局'),
      want(p2, 'C002', '张伟'),
      want(p2, 'U02', '市交通运输局'),
      want(p2, 'C001', '张伟'),
      want(p3, '?2', '张伟'),
      want(p3, 'C003', '王芳'),
      want('附件：欧阳明同志简历', 'C004', '欧阳明'),
    ]);
    // The page's text nodes are untouched: the paragraph is still one text node with its text.
    expect(await page.locator('#p2').evaluate((p) => p.firstChild?.nodeValue)).toBe(p2);
    await page.close();
  });

  test('SPA: badges arrive with the rows and follow pagination', async () => {
    const page = await open('spa.html');
    const page1 = [want('张伟', 'C002'), want('市教育局', 'U01'), want('王芳', 'C003'), want('市教育局', 'U01'), want('市教育局', 'U01')];
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual(page1);
    await page.click('#page2');
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual([want('李娜', 'C005'), want('市卫生健康委员会', 'U04')]);
    expect(page.url()).toContain('?page=2');
    await page.click('#page1');
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual(page1);
    // A burst of 400 appended rows (more mutation records than the incremental path takes)
    // goes through the full rescan and badges the new rows too.
    await page.click('#bulk');
    const wangFangRow = [want('王芳', 'C003'), want('市教育局', 'U01')];
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual([...page1, ...wangFangRow, ...wangFangRow, ...wangFangRow, ...wangFangRow]);
    await page.close();
  });

  test('hostile strings: matched as text, nothing executed, the privacy probe finds nothing', async () => {
    const page = await open('hostile.html');
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual([
      want(`<img src=x onerror="window.__pwned='cell'">王芳`, 'C003', '王芳'),
      want('市教育局', 'U01'),
      want('钱七<img src=x onerror=__pwned=9>', 'C006'),
      want('市教育局', 'U01'),
      want(`"><script>window.__pwned='script'</script>欧阳明`, 'C004', '欧阳明'),
      want('市财政局', 'U03'),
    ]);
    // Hover every badge (builds its card from the dossier's strings), then look for effects.
    for (const b of await badges(page)) await clickBackendNode(page, b.button, 'hover');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await page.close();
  });

  test('privacy probe: a page script walking the DOM finds no dossier content on any fixture', async () => {
    // Strings only the dossiers hold: labels of the badge, grades' reasons, warnings, periods.
    const forbidden = new Set(['红点', '蓝点', '黄点', '黑点', '等次', '预警', '负面清单', '人同名', '●', '■', '▲', '○']);
    for (const s of index) {
      if (s.gradeReason) forbidden.add(s.gradeReason);
      for (const w of s.warnings) forbidden.add(w);
      for (const p of s.periods) forbidden.add(p);
    }
    for (const file of ['legacy-gbk.html', 'profile.html', 'letter.html', 'hostile.html', 'spa.html']) {
      const page = await open(file);
      await expect.poll(async () => (await badges(page)).length, { timeout: 20_000 }).toBeGreaterThan(0);
      await page.addScriptTag({ url: `${fixtures.origin}/probe.js` });
      const found = await page.evaluate((f) => (window as unknown as { __probe(f: string[]): string[] }).__probe(f), [...forbidden]);
      expect(found, file).toEqual([]);
      await page.close();
    }
  });

  test('a badge click opens the side panel on that subject; an ambiguous one asks to choose', async () => {
    const page = await open('legacy-gbk.html');
    await expect.poll(async () => (await badges(page)).length, { timeout: 20_000 }).toBeGreaterThan(5);
    const all = await badges(page);
    type Session = { storage: { session: { get(k: string): Promise<Record<string, { target: unknown } | undefined>> } } };
    const target = () => ext.background.evaluate(async () => (await (globalThis as unknown as { chrome: Session }).chrome.storage.session.get('panelTarget')).panelTarget);
    await clickBackendNode(page, all.find((b) => b.label.startsWith('欧阳明'))!.button);
    await expect.poll(async () => (await target())?.target, { timeout: 10_000 }).toEqual({ subject: { type: 'cadre', id: 'C004' } });
    await clickBackendNode(page, all.find((b) => b.label.includes(tx.ambiguous(2)))!.button);
    await expect
      .poll(async () => (await target())?.target, { timeout: 10_000 })
      .toEqual({ candidates: expect.arrayContaining([{ type: 'cadre', id: 'C001' }, { type: 'cadre', id: 'C002' }]) });
    await page.close();
  });

  test('a dossier edited elsewhere updates the badge on an open page', async () => {
    const page = await open('profile.html');
    const wangFang = async () => (await badges(page)).find((b) => b.after === '王芳')?.label ?? '';
    await expect.poll(wangFang, { timeout: 20_000 }).toBe(want('王芳', 'C003')[1]);
    expect(await wangFang()).not.toContain('红点');
    const ws = await nodeWorkspace(server.url, admin);
    try {
      const { dossiers, synced } = await ws.unit('U01');
      await synced.whenSynced();
      const put = dossiers.records.put({
        id: 'R9', subject: { type: 'cadre', id: 'C003' }, colour: 'red', kind: 'commendation', decisionDate: '2025-08-01',
        sourceDept: '市委组织部', summary: '嘉奖', status: 'active',
      });
      expect(put.ok).toBe(true);
      await ws.whenConfirmed();
    } finally {
      await ws.close();
    }
    await expect.poll(wangFang, { timeout: 20_000 }).toContain('红点1');
    await page.close();
  });

  test('per-portal hints: a div-laid-out profile resolves by its record; free-text columns get no person badge', async () => {
    // Without hints the profile is too long to be one card: the name's context is its own row.
    let page = await open('hints.html');
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual([want('张伟', '?2'), want('市教育局', 'U01'), want('曾与张伟同志共事', '?2', '张伟')]);
    await page.close();
    await ext.background.evaluate(async (hints) => {
      await (globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } }).chrome.storage.local.set({ overlayHints: hints });
    }, [{ match: 'http://127.0.0.1/*', record: '.profile', name: '.xm' }]);
    page = await open('hints.html');
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual([want('张伟', 'C002'), want('市教育局', 'U01')]);
    await page.close();
    await ext.background.evaluate(async () => {
      await (globalThis as unknown as { chrome: { storage: { local: { remove(k: string): Promise<void> } } } }).chrome.storage.local.remove('overlayHints');
    });
  });

  test('keyboard: a badge is focusable, shows its card on focus, and Enter opens the dossier', async () => {
    const page = await open('legacy-gbk.html');
    await expect.poll(async () => (await badges(page)).length, { timeout: 20_000 }).toBeGreaterThan(5);
    const b = (await badges(page)).find((x) => x.label.startsWith('李娜'))!;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.focus', { backendNodeId: b.button });
    await cdp.detach();
    // The card (role tooltip, in the top layer) carries the summary: unit, post, flags, legend.
    const li = subject('cadre', 'C005');
    await expect
      .poll(async () => {
        const c = await page.context().newCDPSession(page);
        const { nodes } = (await c.send('Accessibility.getFullAXTree')) as { nodes: { role?: { value: string }; name?: { value: string } }[] };
        await c.detach();
        return nodes.filter((n) => n.role?.value === 'StaticText').map((n) => n.name?.value ?? '');
      })
      .toEqual(expect.arrayContaining([`${li.unitName} · ${li.post}`, `⚑ ${tx.flags(li.flags)}`, tx.legend]));
    await saveScreenshot(page, 'overlay-card');
    await page.keyboard.press('Enter');
    type Session = { storage: { session: { get(k: string): Promise<Record<string, { target: unknown } | undefined>> } } };
    await expect
      .poll(async () => (await ext.background.evaluate(async () => (await (globalThis as unknown as { chrome: Session }).chrome.storage.session.get('panelTarget')).panelTarget))?.target, { timeout: 10_000 })
      .toEqual({ subject: { type: 'cadre', id: 'C005' } });
    await page.close();
  });
});
