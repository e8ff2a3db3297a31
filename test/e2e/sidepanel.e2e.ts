import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  editorToken,
  nodeWorkspace,
  saveScreenshot,
  twoOfficers,
  type ExtensionBrowser,
  type TwoOfficers,
} from './support/index.ts';

/**
 * The side panel reading and editing a dossier, with a second officer in another browser
 * (another profile: its own IndexedDB, its own connection) seeing the change live.
 */
describe('side panel: dossier, editing, live collaboration', () => {
  let cast: TwoOfficers;
  let a: ExtensionBrowser;
  let b: ExtensionBrowser;

  beforeAll(async () => {
    cast = await twoOfficers();
    ({ a, b } = cast);
  });
  afterAll(async () => {
    await cast?.close();
  });

  test('opens on a cadre: who, unit · post, grade with why, warnings, records, flags, clues, periods', async () => {
    const panel = await a.page('sidepanel.html#cadre/C001');
    await expect.poll(() => panel.locator('#dossier-name').textContent(), { timeout: 20_000 }).toContain('张伟');
    await expect(panel.locator('.line').innerText()).resolves.toBe('市财政局 · 局长');
    await expect(panel.getByTestId('grade').textContent()).resolves.toMatch(/^[A-D]$/);
    // The party warning of 2025-06 runs 12 months: a black dot inside its influence period.
    await expect(panel.locator('.periods li').first().textContent()).resolves.toContain('党内警告');
    await expect(panel.locator('.warning').count()).resolves.toBeGreaterThan(0);
    await expect(panel.locator('[data-record-id]').count()).resolves.toBe(3);
    await expect(panel.locator('#flags-h + ul').textContent()).resolves.toContain('核实中');
    await expect(panel.locator('#clues-h + ul').textContent()).resolves.toContain('初步核实');
    await expect.poll(() => panel.getByTestId('status-line').getAttribute('data-connection')).toBe('online');
    // Filter chips: hiding black leaves the red and yellow records.
    await panel.getByRole('button', { name: /黑点/ }).click();
    await expect(panel.locator('[data-record-id]').count()).resolves.toBe(2);
    await panel.getByRole('button', { name: /黑点/ }).click();
    await panel.locator('details.grade summary').click();
    await saveScreenshot(panel, 'sidepanel-dossier', { fullPage: false });
    await panel.close();
  });

  test('search finds people in the local index (no server round trip); a badge for an ambiguous name asks rather than guesses', async () => {
    const panel = await a.page('sidepanel.html');
    await expect.poll(() => panel.locator('main').textContent(), { timeout: 20_000 }).toContain('在上方搜索干部或单位');
    await panel.getByLabel('搜索干部或单位').fill('欧阳');
    await panel.getByRole('button', { name: /欧阳芳/ }).click();
    await expect.poll(() => panel.locator('#dossier-name').textContent()).toContain('欧阳芳');

    // What the background writes when a badge with two possible people is clicked.
    await panel.evaluate(() =>
      (globalThis as any).chrome.storage.session.set({
        panelTarget: {
          target: {
            candidates: [
              { type: 'cadre', id: 'C001' },
              { type: 'cadre', id: 'C002' },
            ],
          },
          at: Date.now(),
        },
      }),
    );
    await expect.poll(() => panel.locator('#cand-h').textContent()).toBe('同名人员（2 人）');
    await expect(panel.locator('.cands li').allTextContents()).resolves.toEqual([
      '张伟 市财政局 · 局长 · C001',
      '欧阳芳 市财政局 · 副局长 · C002',
    ]);
    await panel.getByRole('button', { name: /张伟/ }).click();
    await expect.poll(() => panel.locator('#dossier-name').textContent()).toContain('张伟');

    // A unit has a dossier of its own: the cadre's unit name opens it, and so does a link.
    await panel.getByRole('button', { name: '打开单位档案：市财政局' }).click();
    await expect.poll(() => panel.locator('#dossier-name').textContent()).toContain('市财政局');
    await expect(panel.locator('.line').innerText()).resolves.toBe('单位');
    await panel.evaluate(() => (location.hash = '#cadre/C002'));
    await expect.poll(() => panel.locator('#dossier-name').textContent()).toContain('欧阳芳');
    await panel.evaluate(() => (location.hash = '#unit/A01'));
    await expect.poll(() => panel.locator('#dossier-name').textContent()).toContain('市财政局');
    await panel.close();
  });

  test('an editor corrects a field, raises a flag and moves one along its states; a thread can be about a record', async () => {
    const panel = await a.page('sidepanel.html#cadre/C001');
    await expect.poll(() => panel.locator('[data-record-id]').count(), { timeout: 20_000 }).toBe(3);

    await panel.getByRole('button', { name: '更正记录“年度嘉奖”' }).click();
    await panel.getByLabel('更正为').fill('');
    await panel.getByRole('button', { name: '保存' }).click();
    await expect(panel.locator('[id^=correct-value-][id$=-err]').textContent()).resolves.toContain('摘要：不能为空');
    await panel.getByLabel('更正为').fill('年度嘉奖（市级）');
    await panel.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => panel.locator('[data-record-id=R001] .summary').textContent()).toBe('年度嘉奖（市级）');
    // The correction keeps who (the name the server knows alice by), when and what, under the record.
    await panel.locator('[data-record-id=R001] details.edits summary').click();
    await expect(panel.locator('[data-record-id=R001] details.edits li').allTextContents()).resolves.toEqual([
      expect.stringMatching(/^张三 于 .+ 将“摘要”改为：年度嘉奖（市级）$/),
    ]);

    await panel.getByRole('button', { name: '＋ 登记负面清单事项' }).click();
    await panel.getByRole('button', { name: '保存' }).click();
    await expect(panel.locator('#flag-item-err').textContent()).resolves.toContain('负面清单事项');
    await panel.locator('#flag-item').selectOption('gambling');
    await panel.locator('#flag-channel').selectOption('home-visit');
    await panel.locator('#flag-date').fill('2025-02-02');
    await panel.locator('#flag-summary').fill('家访反映节假日打牌');
    await panel.getByRole('button', { name: '保存' }).click();
    const flag = panel.locator('#flags-h + ul li', { hasText: '家访反映节假日打牌' });
    await expect(flag.textContent()).resolves.toContain('已报告');
    await flag.getByRole('button', { name: '改为：核实中' }).click();
    await expect.poll(() => flag.textContent()).toContain('核实中');
    await flag.getByRole('button', { name: '改为：已查实' }).click();
    await expect.poll(() => flag.textContent()).toContain('已查实');
    // A substantiated negative-list item is one of the default warning triggers.
    await expect
      .poll(() => panel.locator('.warning').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining('负面清单')]));

    await panel.getByLabel('批注对象').selectOption({
      label: `党内警告 · ${await panel.locator('[data-record-id=R002] time').textContent()} · 市纪发〔2025〕12号：违规收受礼品`,
    });
    await panel.locator('#note-text').fill('处分文件已归档');
    await panel.getByRole('button', { name: '发表批注' }).click();
    await expect.poll(() => panel.getByTestId('annotations').textContent()).toContain('关于记录：');
    await panel.close();
  });

  test('invalid input is explained under each field, in Chinese, and nothing is written', async () => {
    const panel = await a.page('sidepanel.html#cadre/C002');
    await expect.poll(() => panel.locator('#dossier-name').textContent(), { timeout: 20_000 }).toContain('欧阳芳');
    await panel.getByRole('button', { name: /新增记录/ }).click();
    await panel.locator('#rec-date').fill('2999-01-01');
    await panel.getByRole('button', { name: '保存' }).click();
    await expect(panel.locator('#rec-kind-err').textContent()).resolves.toContain('类别');
    await expect(panel.locator('#rec-date-err').textContent()).resolves.toBe('决定日期：日期不能晚于今天');
    await expect(panel.locator('#rec-summary-err').textContent()).resolves.toContain('摘要：不能为空');
    await expect(panel.locator('[data-record-id]').count()).resolves.toBe(0);
    await panel.close();
  });

  test('a record added in one browser appears live in the other; revoking strikes it through with who and when', async () => {
    const pa = await a.page('sidepanel.html#cadre/C002');
    const pb = await b.page('sidepanel.html#cadre/C002');
    for (const p of [pa, pb])
      await expect.poll(() => p.locator('#dossier-name').textContent(), { timeout: 20_000 }).toContain('欧阳芳');
    // Presence: each sees the other on this dossier, by the name in their token. The server tells
    // a newcomer who is already here with its first answer, so neither waits for the 15 s renewal.
    await expect.poll(() => pa.getByTestId('presence').textContent(), { timeout: 10_000 }).toContain('李四');
    await expect.poll(() => pb.getByTestId('presence').textContent(), { timeout: 10_000 }).toContain('张三');

    await pa.getByRole('button', { name: /新增记录/ }).click();
    await pa.locator('#rec-colour').selectOption('red');
    await pa.locator('#rec-kind').selectOption('commendation');
    await pa.locator('#rec-date').fill('2025-01-15');
    await pa.locator('#rec-dept').fill('市委组织部');
    await pa.locator('#rec-summary').fill('优秀共产党员');
    await pa.getByRole('button', { name: '保存' }).click();
    await expect
      .poll(() => pb.locator('[data-record-id]').allTextContents(), { timeout: 10_000 })
      .toEqual([expect.stringContaining('优秀共产党员')]);
    // The writer's own count of unconfirmed changes drops to zero once the server acknowledged it.
    await expect
      .poll(() => pa.getByTestId('status-line').getAttribute('data-connection'), { timeout: 10_000 })
      .toBe('online');
    await expect(pa.getByTestId('unconfirmed').count()).resolves.toBe(0);

    await pb.getByRole('button', { name: '撤销记录“优秀共产党员”' }).click();
    await pb.getByLabel('撤销理由').fill('重复录入');
    await pb.getByRole('button', { name: '确认撤销' }).click();
    await expect
      .poll(() => pa.locator('.revocation').textContent(), { timeout: 10_000 })
      .toMatch(/^李四 于 .+ 撤销：重复录入$/);
    await expect(pa.locator('li.revoked').count()).resolves.toBe(1);

    // Annotations are live too.
    await pb.locator('#note-text').fill('请组织部核对表彰文件');
    await pb.getByRole('button', { name: '发表批注' }).click();
    await expect
      .poll(() => pa.getByTestId('annotations').textContent(), { timeout: 10_000 })
      .toContain('请组织部核对表彰文件');

    // History comes from the server's attribution of each update.
    await pa.getByText('历史').click();
    await expect.poll(() => pa.getByTestId('history').textContent(), { timeout: 10_000 }).toContain('李四');
    // The panel as it is seen: a viewport-sized window with the status line pinned at the bottom.
    await saveScreenshot(pa, 'sidepanel-collaboration', { fullPage: false });
    await pa.close();
    await pb.close();
  });

  test('a revocation and a note written in a colleague’s name show who really wrote them', async () => {
    // An editor with a Node client writes through the library, claiming to be alice (张三).
    const mallory = await nodeWorkspace(cast.server.url, editorToken(cast.server, 'mallory', '王五'));
    try {
      const unit = await mallory.unit('A01');
      await unit.synced.whenSynced();
      expect(
        unit.dossiers.records.revoke('R002', { by: 'alice', at: new Date().toISOString(), reason: '伪造的撤销' }).ok,
      ).toBe(true);
      const notes = await mallory.notes('A01');
      await notes.synced.whenSynced();
      const written = notes.notes.add({
        id: 'forged-note',
        subject: { type: 'cadre', id: 'C001' },
        anchor: { kind: 'dossier' },
        text: '以张三名义的批注',
        author: '张三',
        at: new Date().toISOString(),
      });
      expect(written.ok).toBe(true);
      await mallory.whenConfirmed();
    } finally {
      await mallory.close();
    }
    const pa = await a.page('sidepanel.html#cadre/C001');
    const revoked = pa.locator('[data-record-id=R002] .revocation');
    await expect.poll(() => revoked.textContent(), { timeout: 20_000 }).toMatch(/^王五 于 .+ 撤销：伪造的撤销$/);
    const note = pa.getByTestId('annotations').locator('li', { hasText: '以张三名义的批注' });
    await expect.poll(() => note.locator('strong').first().textContent(), { timeout: 20_000 }).toBe('王五');
    await pa.close();
  });
});

describe('side panel: a dossier’s history', () => {
  let cast: TwoOfficers;

  beforeAll(async () => {
    cast = await twoOfficers();
  });
  afterAll(async () => {
    await cast?.close();
  });

  test('lists only this dossier’s changes, each saying what changed, who (the server’s word, not the writer’s claim) and when', async () => {
    // 李四 (bob) writes from his own client: a change to another cadre's record, and a correction of
    // 张伟's record that claims to be alice's. The server binds bob's client to bob.
    const bob = await nodeWorkspace(cast.server.url, editorToken(cast.server, 'bob', '李四'));
    try {
      const { dossiers, synced } = await bob.unit('A01');
      await synced.whenSynced();
      dossiers.records.put(
        {
          id: 'R900',
          subject: { type: 'cadre', id: 'C002' },
          colour: 'red',
          kind: 'commendation',
          decisionDate: '2024-03-01',
          sourceDept: '市委组织部',
          summary: '别人的嘉奖',
          status: 'active',
        },
        { by: 'bob' },
      );
      dossiers.records.edit('R003', 'summary', '提醒谈话：工作作风（补记）', 'alice');
      await bob.whenConfirmed();
    } finally {
      await bob.close();
    }

    const panel = await cast.a.page('sidepanel.html#cadre/C001');
    await expect
      .poll(() => panel.locator('[data-record-id=R003] .summary').textContent(), { timeout: 20_000 })
      .toBe('提醒谈话：工作作风（补记）');
    // 张三 (alice) revokes a record herself.
    await panel.getByRole('button', { name: '撤销记录“年度嘉奖”' }).click();
    await panel.getByLabel('撤销理由').fill('重复录入');
    await panel.getByRole('button', { name: '确认撤销' }).click();
    await expect
      .poll(() => panel.getByTestId('status-line').getAttribute('data-connection'), { timeout: 10_000 })
      .toBe('online');

    await panel.getByTestId('history-toggle').click();
    const items = () => panel.getByTestId('history').locator('li').allTextContents();
    await expect
      .poll(items, { timeout: 10_000 })
      .toEqual([
        expect.stringMatching(
          /^\d{4}年\d{1,2}月\d{1,2}日 .+ · 张三 · 撤销记录：嘉奖 · .+ · 市委组织部：年度嘉奖（理由：重复录入）$/,
        ),
        expect.stringMatching(
          /^\d{4}年\d{1,2}月\d{1,2}日 .+ · 李四 · 更正记录：提醒谈话 · .+ · 市纪委监委；摘要：提醒谈话：工作作风 → 提醒谈话：工作作风（补记）$/,
        ),
      ]);
    const text = (await items()).join('\n');
    expect(text).not.toContain('别人的嘉奖');
    expect(text).not.toContain('未经服务器确认');
    // The whole panel in one window, so the pinned status bar sits below the history, as it does.
    await panel.setViewportSize({
      width: 420,
      height: await panel.evaluate(() => document.documentElement.scrollHeight + 40),
    });
    await saveScreenshot(panel, 'sidepanel-history', { fullPage: false });
    await panel.close();
  });
});
