import JSZip from 'jszip';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { enrol, launchExtension, saveScreenshot, startTestServer, type ExtensionBrowser, type TestServer } from './support/index.ts';
import { seed, type SeedData } from './support/seed.ts';
import { addMonths, today } from '../../core/dates.ts';

/**
 * The integrity-review page over dossiers seeded through the real path (server, sync, IndexedDB):
 * the seed article's case — a 党内警告 approved on 2018-06-15 — answered for the 2018 annual
 * appraisal and for promotion before and after its influence period ends, an ambiguous name that
 * waits for the officer's pick, a name nobody has, the printable letter and the reply log.
 */
const CITY: SeedData = {
  units: [
    { code: 'A01', name: '市财政局', aliases: [], kind: 'government' },
    { code: 'B02', name: '市教育局', aliases: [], kind: 'government' },
  ],
  cadres: [
    { id: 'C101', name: '李明', aliases: [], gender: 'male', birth: '1972-05', unitCode: 'A01', post: '副局长', rank: '副处级' },
    { id: 'C201', name: '王芳', aliases: [], gender: 'female', birth: '1981-02', unitCode: 'A01', post: '预算科科长', rank: '正科级' },
    { id: 'C301', name: '王芳', aliases: [], gender: 'female', birth: '1976-09', unitCode: 'B02', post: '副局长', rank: '副处级' },
    { id: 'C401', name: '赵强', aliases: [], gender: 'male', birth: '1979-12', unitCode: 'B02', post: '局长', rank: '正处级' },
  ],
  records: [
    {
      id: 'R101', subject: { type: 'cadre', id: 'C101' }, colour: 'black', kind: 'party-warning', decisionDate: '2018-06-15',
      sourceDept: '市纪委监委', docNumber: '市纪发〔2018〕12号', summary: '违规收受礼品礼金', status: 'active',
    },
    // A commendation, a talk, and a clue against the unit itself (the unit page's test is units.e2e.ts).
    { id: 'R102', subject: { type: 'cadre', id: 'C101' }, colour: 'red', kind: 'commendation', decisionDate: '2017-12-20', sourceDept: '市委组织部', summary: '年度嘉奖', status: 'active' },
    { id: 'R103', subject: { type: 'cadre', id: 'C201' }, colour: 'yellow', kind: 'reminder-talk', decisionDate: '2019-05-10', sourceDept: '市纪委监委', summary: '提醒谈话', status: 'active' },
    { id: 'R104', subject: { type: 'unit', id: 'A01' }, colour: 'yellow', kind: 'unit-problem-clue', decisionDate: '2019-08-01', sourceDept: '市纪委监委', summary: '食堂管理问题线索', status: 'active' },
  ],
  // An open clue at 初核 is a warning today; it was received long after the review dates asked about.
  clues: [{ id: 'L201', subject: { type: 'cadre', id: 'C201' }, summary: '反映其违规报销问题', received: addMonths(today(), -1), source: '信访举报', stage: 'preliminary' }],
};

describe('integrity-review page (廉政意见回复)', () => {
  let server: TestServer;
  let ext: ExtensionBrowser;
  let page: Page;
  let admin: string;

  const row = (name: string) => page.locator('table.results tbody tr', { hasText: name });

  async function ask(fields: { purpose: string; year?: string; asOf: string; people: string }) {
    await page.locator('#rq-purpose').selectOption(fields.purpose);
    if (fields.year !== undefined) await page.locator('#rq-year').fill(fields.year);
    await page.locator('#rq-asOf').fill(fields.asOf);
    await page.locator('#rq-people').fill(fields.people);
    await page.getByRole('button', { name: '开始审查' }).click();
  }

  beforeAll(async () => {
    server = await startTestServer();
    admin = server.token({ user: 'admin', name: '管理员', grants: [{ role: 'admin', doc: 'workspace' }, { role: 'editor', doc: 'unit:*' }] });
    await seed(server.url, admin, CITY);
    ext = await launchExtension();
    // The officer answering the letter only reads the dossiers.
    await enrol(ext, server.url, server.token({ user: 'wang', name: '王审查', grants: [{ role: 'viewer', doc: 'workspace' }, { role: 'viewer', doc: 'unit:*' }] }));
    page = await ext.page('review.html');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });

  test('an incomplete letter is explained under each field and nothing is reviewed', async () => {
    // Every unit document in scope, from this device's copies (the officer is a viewer).
    await expect.poll(() => page.getByTestId('review-scope').textContent(), { timeout: 30_000 }).toContain('2 个单位，4 名干部');
    await page.locator('#rq-year').fill('2020');
    await page.locator('#rq-asOf').fill('2019-01-10');
    await page.getByRole('button', { name: '开始审查' }).click();
    await expect(page.locator('#rq-letterNo-err').textContent()).resolves.toBe('函号：不能为空');
    await expect(page.locator('#rq-requester-err').textContent()).resolves.toBe('来函单位：不能为空');
    await expect(page.locator('#rq-year-err').textContent()).resolves.toBe('考核年度：应为不晚于截止日期所在年份的年度');
    await expect(page.locator('#rq-people-err').textContent()).resolves.toContain('审查对象');
    await expect(page.locator('#rq-people').getAttribute('aria-describedby')).resolves.toContain('rq-people-err');
    await expect(page.locator('table.results').count()).resolves.toBe(0);
  });

  test('2018 annual appraisal: the 党内警告 of June 2018 is an objection with the rule cited; an ambiguous name waits for a pick', async () => {
    await page.locator('#rq-letterNo').fill('组干函〔2019〕3号');
    await page.locator('#rq-requester').fill('中共某市委组织部');
    await ask({ purpose: 'annual-appraisal', year: '2018', asOf: '2019-01-10', people: '李明、王芳\n赵强；张三丰' });

    await expect.poll(() => row('李明').getAttribute('data-outcome')).toBe('objection');
    await expect(row('李明').locator('td').nth(2).textContent()).resolves.toBe('市财政局 · 副局长');
    await expect(row('李明').locator('[data-outcome]').first().textContent()).resolves.toContain('有意见');
    await expect(row('李明').locator('.reasons li').first().textContent()).resolves.toBe(
      '2018年6月15日受到党内警告（记录 R101），2018年度考核不得确定为优秀等次，不能评先评优（《公务员考核规定》第二十八条、第二十九条）。',
    );
    await expect(row('赵强').getAttribute('data-outcome')).resolves.toBe('no-objection');
    await expect(row('赵强').textContent()).resolves.toContain('暂未发现影响2018年度');
    await expect(row('张三丰').getAttribute('data-outcome')).resolves.toBe('not-found');

    // Never guessed: both 王芳 are listed, with unit and post, until the officer picks one.
    const wang = row('王芳');
    await expect(wang.getAttribute('data-outcome')).resolves.toBe('ambiguous');
    await expect(wang.locator('legend').textContent()).resolves.toBe('同名人员 2 人，请选定：');
    await expect(wang.locator('.cands button').allTextContents()).resolves.toEqual([
      expect.stringContaining('王芳 · 市财政局 · 预算科科长 · C201'),
      expect.stringContaining('王芳 · 市教育局 · 副局长 · C301'),
    ]);
    const counts = page.getByTestId('review-counts');
    await expect(counts.locator('[data-count=objection]').textContent()).resolves.toBe('1');
    await expect(counts.locator('[data-count=ambiguous]').textContent()).resolves.toBe('1');
    await expect(counts.locator('[data-count=not-found]').textContent()).resolves.toBe('1');

    await wang.getByRole('button', { name: /选定 王芳（市教育局/ }).click();
    await expect.poll(() => page.locator('tr[data-row="1"]').getAttribute('data-outcome')).toBe('no-objection');
    await expect(page.locator('tr[data-row="1"]').textContent()).resolves.toContain('C301');
    await expect(counts.locator('[data-count=ambiguous]').textContent()).resolves.toBe('0');
    await expect(counts.locator('[data-count=no-objection]').textContent()).resolves.toBe('2');

    // The letter: each person with unit and post, the opinion in officers' wording, the reasons.
    const letter = page.getByTestId('reply-letter');
    await expect(letter.locator('h2').textContent()).resolves.toBe('关于李明等4名同志党风廉政情况的回复');
    await expect(letter.textContent()).resolves.toContain('你单位《组干函〔2019〕3号》收悉');
    await expect(letter.locator('ol.people > li').first().textContent()).resolves.toMatch(
      /^李明（市财政局 副局长）：对其2018年度考核等次有不同意见。.*《公务员考核规定》第二十八条、第二十九条/,
    );
    await expect(letter.locator('ol.people > li').nth(3).textContent()).resolves.toContain('政治生态档案中未查到此人');
    // On paper only the letter shows, in a serif face.
    await page.emulateMedia({ media: 'print' });
    for (const hidden of ['#rq-people', 'table.results', 'nav', '[data-testid=reply-log]']) await expect(page.locator(hidden).isVisible(), hidden).resolves.toBe(false);
    await expect(letter.isVisible()).resolves.toBe(true);
    await expect(letter.evaluate((e) => e.getBoundingClientRect().top + scrollY)).resolves.toBe(0);
    await expect(letter.evaluate((e) => getComputedStyle(e).fontFamily)).resolves.toMatch(/SimSun.*serif$/);
    await page.emulateMedia({ media: 'screen' });

    // The same letter as a Word file.
    const [word] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 Word 回复函' }).click()]);
    // The name itself is tested in letter.test.ts: this Chromium names any non-ASCII download
    // "download", as the zh_CN.UTF-8 locale the harness asks for is not installed here.
    expect(['党风廉政意见回复（组干函〔2019〕3号）.docx', 'download']).toContain(word.suggestedFilename());
    const docXml = await (await JSZip.loadAsync(await readFile(await word.path()))).file('word/document.xml')!.async('string');
    const docText = docXml.replace(/<[^>]+>/g, '');
    expect(docText).toContain('关于李明等4名同志党风廉政情况的回复');
    expect(docText).toContain('1．李明（市财政局 副局长）：对其2018年度考核等次有不同意见。');
    expect(docText).toContain('4．张三丰：政治生态档案中未查到此人，请核对。');

    await page.getByRole('button', { name: '登记回复' }).click();
    const logRow = page.getByTestId('reply-log').locator('tbody tr').first();
    await expect.poll(() => logRow.textContent()).toContain('组干函〔2019〕3号');
    await expect(logRow.locator('td').nth(2).textContent()).resolves.toBe('中共某市委组织部');
    await expect(logRow.locator('td').nth(3).textContent()).resolves.toBe('2018年度考核');
    await expect(logRow.locator('td').nth(4).textContent()).resolves.toBe('4');
    await expect(logRow.locator('li').allTextContents()).resolves.toEqual([
      expect.stringMatching(/^李明（C101）：.*有意见$/),
      expect.stringMatching(/^王芳（C301）：.*无意见$/),
      expect.stringMatching(/^赵强（C401）：.*无意见$/),
      expect.stringMatching(/^张三丰：.*未查到$/),
    ]);
    await saveScreenshot(page, 'review-page');
  });

  test('promotion: objection on 2019-03-01 citing 选拔任用条例 art. 24 and the until-date; no objection from 2019-06-15', async () => {
    await ask({ purpose: 'promotion', asOf: '2019-03-01', people: '李明' });
    await expect.poll(() => row('李明').getAttribute('data-outcome')).toBe('objection');
    await expect(row('李明').locator('.reasons li').first().textContent()).resolves.toBe(
      '党内警告（记录 R101）影响期自2018年6月15日至2019年6月14日，期间不得提拔或晋升职务、职级（《中国共产党纪律处分条例》第十条；《党政领导干部选拔任用工作条例》第二十四条）。',
    );
    await expect(page.getByTestId('reply-letter').locator('ol.people > li').first().textContent()).resolves.toContain('不宜提拔使用。');

    await ask({ purpose: 'promotion', asOf: '2019-06-15', people: '李明' });
    await expect.poll(() => row('李明').getAttribute('data-outcome')).toBe('no-objection');
    await expect(row('李明').locator('.reasons li').allTextContents()).resolves.toEqual(['暂未发现影响提拔使用的问题。']);
    // The log survives a reload (extension storage), newest first.
    await page.reload();
    await expect.poll(() => page.getByTestId('reply-log').locator('tbody tr').count(), { timeout: 20_000 }).toBe(1);
  });
  test('English: the page, the validation messages, the opinions and the cited rules', async () => {
    await page.evaluate(() => (globalThis as any).chrome.storage.local.set({ language: 'en' }));
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 20_000 }).toBe('Integrity review replies');
    await page.getByRole('button', { name: 'Run the review' }).click();
    await expect(page.locator('#rq-letterNo-err').textContent()).resolves.toBe('Letter number: is required');
    await page.locator('#rq-letterNo').fill('OD-2019-7');
    await page.locator('#rq-requester').fill('Organisation Department');
    await page.locator('#rq-purpose').selectOption('commendation');
    await page.locator('#rq-year').fill('2018');
    await page.locator('#rq-asOf').fill('2019-01-10');
    await page.locator('#rq-people').fill('C101');
    await page.getByRole('button', { name: 'Run the review' }).click();
    await expect.poll(() => row('李明').locator('[data-outcome]').first().textContent()).toContain('Objection');
    await expect(row('李明').locator('.reasons').textContent()).resolves.toContain('(CPC Regulations on Disciplinary Sanctions, art. 10)');
    await expect(page.getByTestId('reply-letter').locator('ol.people > li').first().textContent()).resolves.toContain('Should not be commended for 2018.');
    await page.evaluate(() => (globalThis as any).chrome.storage.local.remove('language'));
  });
  test('a unit that joins the directory while the page is open is reviewed too', async () => {
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 20_000 }).toBe('廉政意见回复');
    await expect.poll(() => page.getByTestId('review-scope').textContent(), { timeout: 20_000 }).toContain('2 个单位，4 名干部');
    await seed(server.url, admin, {
      units: [{ code: 'C03', name: '市审计局', aliases: [], kind: 'government' }],
      cadres: [{ id: 'C501', name: '孙丽', aliases: [], gender: 'female', birth: '1983-04', unitCode: 'C03', post: '副局长', rank: '副处级' }],
    });
    await expect.poll(() => page.getByTestId('review-scope').textContent(), { timeout: 20_000 }).toContain('3 个单位，5 名干部');
    await page.locator('#rq-letterNo').fill('组干函〔2019〕9号');
    await page.locator('#rq-requester').fill('中共某市委组织部');
    await page.locator('#rq-purpose').selectOption('promotion');
    await page.locator('#rq-people').fill('孙丽');
    await page.getByRole('button', { name: '开始审查' }).click();
    await expect.poll(() => row('孙丽').getAttribute('data-outcome')).toBe('no-objection');
    await expect(row('孙丽').locator('td').nth(2).textContent()).resolves.toBe('市审计局 · 副局长');

    // A unit's cadres can be added by picking the unit: by id, which never needs a pick; 赵强 is
    // already listed by a name only he bears.
    await page.locator('#rq-people').fill('赵强');
    await page.locator('#rq-unit').selectOption('B02');
    await page.getByRole('button', { name: '加入该单位全部干部' }).click();
    await expect(page.locator('#rq-people').inputValue()).resolves.toBe('赵强\nC301');
    await page.getByRole('button', { name: '开始审查' }).click();
    await expect.poll(() => page.locator('table.results tbody tr').count()).toBe(2);
    await expect(page.getByTestId('review-counts').locator('[data-count=ambiguous]').textContent()).resolves.toBe('0');
  });
});
