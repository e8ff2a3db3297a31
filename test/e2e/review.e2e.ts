import mammoth from 'mammoth';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addMonths, today as chinaToday } from '../../core/dates.ts';
import { cadre } from '../../core/doc/test/fixtures.ts';
import { DEFAULT_COMMISSION } from '../../core/model/workflow-config.ts';
import { formatDate } from '../../core/rules/explain.ts';
import { expectAccessible } from './support/axe.ts';
import {
  enrol,
  launchExtension,
  saveScreenshot,
  seededServer,
  type ExtensionBrowser,
  type TestServer,
} from './support/index.ts';
import type { SeedData } from './support/seed.ts';

/**
 * The integrity-review reply as an office sends it: a request answered from the dossiers (the
 * seed's own case: a 党内警告 approved in June 2018 is an objection to 2018 评先评优), drafted by one
 * officer, reviewed by a second, signed by a third, registered — each step by someone holding that
 * role, as the server attributes the writes — in a register shared by the commission that survives
 * wiping a device. The letter (read back from the Word file) carries the official elements and no
 * internal id.
 */
const CITY: SeedData = {
  units: [
    { code: 'A01', name: '市财政局', aliases: [], kind: 'government' },
    { code: 'B02', name: '市教育局', aliases: [], kind: 'government' },
  ],
  cadres: [
    cadre('C101', { name: '李明', birth: '1972-05', post: '副局长', rank: '副处级' }),
    cadre('C201', { name: '王芳', gender: 'female', birth: '1981-02', post: '预算科科长', rank: '正科级' }),
    cadre('C301', {
      name: '王芳',
      gender: 'female',
      birth: '1976-09',
      unitCode: 'B02',
      post: '副局长',
      rank: '副处级',
    }),
    cadre('C401', { name: '赵强', birth: '1979-12', unitCode: 'B02' }),
  ],
  records: [
    {
      id: 'R101',
      subject: { type: 'cadre', id: 'C101' },
      colour: 'black',
      kind: 'party-warning',
      decisionDate: '2018-06-15',
      sourceDept: '市纪委监委',
      docNumber: '市纪发〔2018〕12号',
      summary: '违规收受礼品礼金',
      status: 'active',
    },
    {
      id: 'R102',
      subject: { type: 'cadre', id: 'C101' },
      colour: 'red',
      kind: 'commendation',
      decisionDate: '2017-12-20',
      sourceDept: '市委组织部',
      summary: '年度嘉奖',
      status: 'active',
    },
    {
      id: 'R103',
      subject: { type: 'cadre', id: 'C201' },
      colour: 'yellow',
      kind: 'reminder-talk',
      decisionDate: '2019-05-10',
      sourceDept: '市纪委监委',
      summary: '提醒谈话',
      status: 'active',
    },
    {
      id: 'R104',
      subject: { type: 'unit', id: 'A01' },
      colour: 'yellow',
      kind: 'unit-problem-clue',
      decisionDate: '2019-08-01',
      sourceDept: '市纪委监委',
      summary: '食堂管理问题线索',
      status: 'active',
    },
  ],
  clues: [
    {
      id: 'L201',
      subject: { type: 'cadre', id: 'C201' },
      summary: '反映其违规报销问题',
      received: addMonths(chinaToday(), -1),
      source: '信访举报',
      stage: 'preliminary',
    },
  ],
  config: {
    commission: {
      ...DEFAULT_COMMISSION,
      name: '中共澜江市纪律检查委员会',
      replyNumber: '澜纪函〔{year}〕{n}号',
      addressee: '中共澜江市委组织部',
      contact: { person: '王明', phone: '0744-8221234' },
      approvers: { draft: ['ana'], review: ['bo'], sign: ['cy'] },
    },
  },
};

const today = chinaToday();
const year = today.slice(0, 4);
/** Reviewers read the dossiers and write the register (its own grant). */
const grants = [
  { role: 'viewer', doc: 'workspace' },
  { role: 'viewer', doc: 'unit:*' },
  { role: 'editor', doc: 'register' },
] as const;

describe('integrity review (党风廉政意见回复): drafted, reviewed, signed, registered', () => {
  let server: TestServer;
  let drafter: ExtensionBrowser;
  let second: ExtensionBrowser;
  let page: Page;

  const row = (p: Page, name: string) => p.locator('table.results tbody tr', { hasText: name });
  const token = (user: string, name: string) => server.token({ user, name, grants: [...grants] });

  beforeAll(async () => {
    ({ server } = await seededServer(CITY));
    [drafter, second] = await Promise.all([launchExtension(), launchExtension()]);
    await enrol(drafter, server.url, token('ana', '拟稿人甲'));
    await enrol(second, server.url, token('bo', '审核人乙'));
    page = await drafter.page('review.html');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
  afterAll(async () => {
    await drafter?.close();
    await second?.close();
    await server?.close();
  });

  async function ask(p: Page, fields: { purpose: string; year?: string; asOf: string; people: string }) {
    await p.locator('#rq-purpose').selectOption(fields.purpose);
    if (fields.year !== undefined) await p.locator('#rq-year').fill(fields.year);
    await p.locator('#rq-asOf').fill(fields.asOf);
    await p.locator('#rq-people').fill(fields.people);
    await p.getByRole('button', { name: '开始审查' }).click();
  }

  test('an incomplete request is explained under each field and nothing is reviewed', async () => {
    await expect
      .poll(() => page.getByTestId('review-scope').textContent(), { timeout: 30_000 })
      .toContain('2 个单位，4 名干部');
    await expectAccessible(page, 'review page, empty request');
    await page.locator('#rq-requester').fill('');
    await page.locator('#rq-year').fill('2020');
    await page.locator('#rq-asOf').fill('2019-01-10');
    await page.getByRole('button', { name: '开始审查' }).click();
    await expect(page.locator('#rq-letterNo-err').textContent()).resolves.toBe('来函文号：不能为空');
    await expect(page.locator('#rq-requester-err').textContent()).resolves.toBe('来函单位：不能为空');
    await expect(page.locator('#rq-year-err').textContent()).resolves.toBe(
      '考核年度：应为不晚于截止日期所在年份的年度',
    );
    await expect(page.locator('#rq-people-err').textContent()).resolves.toContain('审查对象');
    await expect(page.locator('table.results').count()).resolves.toBe(0);
    await expectAccessible(page, 'review page, errors');
  });

  test('the seed’s case: a 党内警告 of June 2018 is an objection to 2018 评先评优, cited by kind, date and 文号; names are settled, never guessed', async () => {
    await page.locator('#rq-letterNo').fill('澜组干函〔2019〕45号');
    await page.locator('#rq-requester').fill('中共澜江市委组织部');
    await page.locator('#rq-received').fill('2019-08-05');
    await ask(page, { purpose: 'commendation', year: '2018', asOf: '2019-08-06', people: '李明、王芳\n赵强；张三丰' });

    await expect.poll(() => row(page, '李明').getAttribute('data-outcome')).toBe('objection');
    await expect(row(page, '李明').locator('.reasons li').first().textContent()).resolves.toBe(
      '2018年6月15日受到党内警告处分（市纪发〔2018〕12号），2018年度考核不得确定为优秀等次，不能评先评优（《公务员考核规定》第二十八条、第二十九条）。',
    );
    await expect(row(page, '张三丰').getAttribute('data-outcome')).resolves.toBe('not-found');
    const wang = row(page, '王芳');
    await expect(wang.getAttribute('data-outcome')).resolves.toBe('ambiguous');
    await expect(wang.locator('.cands button').allTextContents()).resolves.toEqual([
      expect.stringContaining('王芳 · 市财政局 · 预算科科长'),
      expect.stringContaining('王芳 · 市教育局 · 副局长'),
    ]);
    // No draft while a name could be two people.
    await expect(page.getByRole('button', { name: '提交拟稿' }).isDisabled()).resolves.toBe(true);
    await expect(page.locator('#draft-blocked').textContent()).resolves.toBe('尚有 1 个同名人员待选定');
    await wang.getByRole('button', { name: /选定 王芳（市教育局/ }).click();
    await expect.poll(() => page.locator('tr[data-row="1"]').getAttribute('data-outcome')).toBe('no-objection');

    // The officer changes one computed opinion, with the reason the letter will give.
    await row(page, '赵强').getByRole('button', { name: '调整意见' }).click();
    await row(page, '赵强').locator('select').selectOption('note');
    await row(page, '赵强').getByRole('button', { name: '确定调整' }).click();
    await expect(row(page, '赵强').locator('[id$=-err]').textContent()).resolves.toBe('调整理由：不能为空');
    await expectAccessible(page, 'results with an override form');
    await row(page, '赵强').locator('textarea').fill('近期有群众来信反映其工作作风问题，正在了解');
    await row(page, '赵强').getByRole('button', { name: '确定调整' }).click();
    await expect.poll(() => row(page, '赵强').getAttribute('data-outcome')).toBe('note');
    await expect(row(page, '赵强').getByTestId('computed').textContent()).resolves.toBe('系统意见：无意见');
    await expectAccessible(page, 'results');

    await page.getByRole('button', { name: '提交拟稿' }).click();
    const batch = page.getByTestId('batch');
    await expect.poll(() => batch.getAttribute('data-state'), { timeout: 10_000 }).toBe('drafted');
    // Drafted by ana, as the server attributed the write.
    await expect
      .poll(() => batch.locator('[data-action=draft] [data-author]').getAttribute('data-author'), { timeout: 15_000 })
      .toBe('ana');
    // The drafter may not review her own draft.
    await expect(page.getByRole('button', { name: '审核' }).isDisabled()).resolves.toBe(true);
    await expect(page.locator('#why-review').textContent()).resolves.toBe('不能审核：不具备此环节的审批权限');
    const letter = page.getByTestId('reply-letter');
    await expect(letter.locator('h2').textContent()).resolves.toBe('关于李明等3名同志党风廉政情况的意见回复');
    await expect(page.getByTestId('letter-number').textContent()).resolves.toBe(`澜纪函〔${year}〕\u3000\u3000号`);
    await expectAccessible(page, 'batch drafted');
  });

  test('reviewed by a second officer; signed by a third after wiping the device: the register is shared, not device storage', async () => {
    const reviewer = await second.page('review.html#register');
    await reviewer.setViewportSize({ width: 1280, height: 900 });
    await expect
      .poll(() => reviewer.locator('[data-testid=reply-register] tbody tr').count(), { timeout: 30_000 })
      .toBe(1);
    await expect(reviewer.getByTestId('register-purpose').textContent()).resolves.toBe('2018年度评先评优');
    await reviewer.locator('[data-testid=reply-register] tbody a').click();
    const batch = reviewer.getByTestId('batch');
    await expect.poll(() => batch.getAttribute('data-state'), { timeout: 15_000 }).toBe('drafted');
    await reviewer.locator('#act-comment').fill('同意，请领导签发');
    await reviewer.getByRole('button', { name: '审核' }).click();
    await expect.poll(() => batch.getAttribute('data-state')).toBe('reviewed');
    await expect(reviewer.getByRole('button', { name: '签发' }).isDisabled()).resolves.toBe(true);
    await expect
      .poll(() => batch.locator('[data-action=review] [data-author]').getAttribute('data-author'), { timeout: 15_000 })
      .toBe('bo');
    await reviewer.close();

    // 清除本机数据 on this device, then the leader who signs enrols on it.
    const options = await second.page('options.html');
    await options.getByRole('button', { name: '清除本机数据' }).click();
    await options.getByRole('button', { name: '确认清除' }).click();
    await expect.poll(() => options.getByRole('status').last().textContent(), { timeout: 20_000 }).toMatch(/已清除/);
    await options.close();
    await enrol(second, server.url, token('cy', '签发人丙'));
    const signer = await second.page('review.html#register');
    await signer.setViewportSize({ width: 1280, height: 900 });
    await expect
      .poll(() => signer.locator('[data-testid=reply-register] tbody tr').getAttribute('data-state'), {
        timeout: 30_000,
      })
      .toBe('reviewed');
    await signer.locator('[data-testid=reply-register] tbody a').click();
    await expect
      .poll(() => signer.locator('#act-replyNo').inputValue(), { timeout: 15_000 })
      .toBe(`澜纪函〔${year}〕1号`);
    await signer.getByRole('button', { name: '签发' }).click();
    await expect.poll(() => signer.getByTestId('batch').getAttribute('data-state')).toBe('signed');
    await expect.poll(() => signer.getByTestId('letter-number').textContent()).toBe(`澜纪函〔${year}〕1号`);
    await expectAccessible(signer, 'batch signed');
    await signer.close();
  });

  test('registered: the year’s counts are org-wide; the Word letter has the official elements and no internal id', async () => {
    const batch = page.getByTestId('batch');
    await expect.poll(() => batch.getAttribute('data-state'), { timeout: 20_000 }).toBe('signed');
    await page.getByRole('button', { name: '登记发出' }).click();
    await expect.poll(() => batch.getAttribute('data-state')).toBe('registered');
    await expect
      .poll(() => batch.locator('[data-author]').evaluateAll((els) => els.map((e) => e.getAttribute('data-author'))), {
        timeout: 15_000,
      })
      .toEqual(['ana', 'bo', 'cy', 'ana']);

    const [word] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载 Word 回复函' }).click(),
    ]);
    const { value: text } = await mammoth.extractRawText({ buffer: await readFile(await word.path()) });
    for (const element of [
      '中共澜江市纪律检查委员会',
      `澜纪函〔${year}〕1号`,
      '关于李明等3名同志党风廉政情况的意见回复',
      '中共澜江市委组织部：',
      '你单位澜组干函〔2019〕45号收悉',
      '一、有不同意见的（1人）',
      '（一）李明（市财政局副局长）：不宜评先评优。',
      '1．2018年6月15日受到党内警告处分（市纪发〔2018〕12号），2018年度考核不得确定为优秀等次，不能评先评优',
      '二、无不同意见、有关情况予以提示的（1人）',
      '经研究：近期有群众来信反映其工作作风问题，正在了解',
      '三、暂未发现问题的（1人）',
      '另，来函所列张三丰，我委政治生态档案中未查到',
      '附件：党风廉政意见汇总表',
      formatDate(today, 'zh-CN'),
      '（联系人：王明；联系电话：0744-8221234）',
    ])
      expect(text, element).toContain(element);
    expect(text).not.toContain('《澜组干函');
    for (const id of ['C101', 'C301', 'C401', 'R101', 'L201', 'rb-', 'step-', 'A01', 'B02'])
      expect(text, id).not.toContain(id);

    // On paper only the letter shows.
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByTestId('reply-letter').isVisible()).resolves.toBe(true);
    await expect(batch.isVisible()).resolves.toBe(false);
    await expect(page.locator('nav').first().isVisible()).resolves.toBe(false);
    await page.emulateMedia({ media: 'screen' });
    await saveScreenshot(page, 'review-page');

    await page.goto(`chrome-extension://${drafter.extensionId}/review.html#register`);
    await expect
      .poll(() => page.getByTestId('register-counts').textContent(), { timeout: 20_000 })
      .toBe(`${year} 年度：已登记回复 1 批次、3 人，提出不同意见 1 人`);
    await expectAccessible(page, 'register');
    await saveScreenshot(page, 'review-register');
    // Reflow at 320 CSS px: no horizontal scrolling.
    await page.setViewportSize({ width: 320, height: 800 });
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(320);
    await page.goto(`chrome-extension://${drafter.extensionId}/review.html#new`);
    await expect.poll(() => page.getByTestId('review-scope').textContent(), { timeout: 20_000 }).toContain('4 名干部');
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(320);
    await expectAccessible(page, 'review page at 320 px');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test('promotion on 2019-03-01: the period runs until 2019-06-14 and 选拔任用条例 art. 24 is cited; none from 2019-06-15', async () => {
    await page.locator('#rq-letterNo').fill('澜组干函〔2019〕9号');
    await ask(page, { purpose: 'promotion', asOf: '2019-03-01', people: '李明' });
    await expect.poll(() => row(page, '李明').getAttribute('data-outcome')).toBe('objection');
    await expect(row(page, '李明').locator('.reasons li').first().textContent()).resolves.toBe(
      '2018年6月15日党内警告处分（市纪发〔2018〕12号），影响期自2018年6月15日至2019年6月14日，' +
        '期间不得提拔或晋升职务、职级（《中国共产党纪律处分条例》第十条；《党政领导干部选拔任用工作条例》第二十四条）。',
    );
    await ask(page, { purpose: 'promotion', asOf: '2019-06-15', people: '李明' });
    await expect.poll(() => row(page, '李明').getAttribute('data-outcome')).toBe('no-objection');
    await expect(row(page, '李明').locator('td').nth(4).innerText()).resolves.toBe('暂未发现影响提拔使用的问题。');
  });

  test('English: the page, the messages, the opinions, the cited rules and the register’s purposes', async () => {
    // From the background: the page reloads on a language change, which can end its own evaluate.
    await drafter.background.evaluate(() => (globalThis as any).chrome.storage.local.set({ language: 'en' }));
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 20_000 }).toBe('Integrity review replies');
    await page.locator('#rq-letterNo').fill('');
    await page.getByRole('button', { name: 'Run the review' }).click();
    await expect(page.locator('#rq-letterNo-err').textContent()).resolves.toBe('Request number: is required');
    await page.locator('#rq-letterNo').fill('OD-2019-7');
    await page.locator('#rq-purpose').selectOption('commendation');
    await page.locator('#rq-year').fill('2018');
    await page.locator('#rq-asOf').fill('2019-01-10');
    await page.locator('#rq-people').fill('C101');
    await page.getByRole('button', { name: 'Run the review' }).click();
    await expect.poll(() => row(page, '李明').locator('[data-outcome]').first().textContent()).toContain('Objection');
    await expect(row(page, '李明').locator('.reasons').textContent()).resolves.toContain(
      'Party warning of 2018-06-15 (市纪发〔2018〕12号)',
    );
    await page.goto(`chrome-extension://${drafter.extensionId}/review.html#register`);
    await expect
      .poll(() => page.getByTestId('register-purpose').textContent(), { timeout: 20_000 })
      .toBe('commendation for 2018');
    await expectAccessible(page, 'register in English');
    await drafter.background.evaluate(() => (globalThis as any).chrome.storage.local.remove('language'));
  });
});
