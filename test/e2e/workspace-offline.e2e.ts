import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import {
  saveScreenshot,
  twoOfficers,
  type ExtensionBrowser,
  type TestServer,
  type TwoOfficers,
} from './support/index.ts';

/**
 * Two officers edit the same dossier while the server is down (different records, and the same
 * record's fields), then it comes back: both converge to the same dossier with nothing lost, and
 * both annotations survive.
 */
describe('offline edits in two browsers converge', () => {
  let cast: TwoOfficers;
  let server: TestServer;
  let a: ExtensionBrowser;
  let b: ExtensionBrowser;

  beforeAll(async () => {
    cast = await twoOfficers();
    ({ server, a, b } = cast);
  });
  afterAll(async () => {
    await cast?.close();
  });

  async function addRecord(p: Page, summary: string) {
    await p.getByRole('button', { name: /新增记录/ }).click();
    await p.locator('#rec-colour').selectOption('blue');
    await p.locator('#rec-kind').selectOption('personal-matters-report');
    await p.locator('#rec-date').fill('2025-03-01');
    await p.locator('#rec-dept').fill('市委组织部');
    await p.locator('#rec-summary').fill(summary);
    await p.getByRole('button', { name: '保存' }).click();
  }
  async function revoke(p: Page, recordSummary: string, reason: string) {
    await p.getByRole('button', { name: `撤销记录“${recordSummary}”` }).click();
    await p.getByLabel('撤销理由').fill(reason);
    await p.getByRole('button', { name: '确认撤销' }).click();
  }
  async function annotate(p: Page, text: string) {
    await p.locator('#note-text').fill(text);
    await p.getByRole('button', { name: '发表批注' }).click();
  }
  // Record texts without the "changed while offline" mark, which differs by design on each side.
  const records = (p: Page) =>
    p.locator('[data-record-id]').evaluateAll((els) =>
      els.map((el) => {
        const copy = el.cloneNode(true) as Element;
        copy.querySelectorAll('.new').forEach((n) => n.remove());
        return copy.textContent ?? '';
      }),
    );
  const connection = (p: Page) => p.getByTestId('status-line').getAttribute('data-connection');

  test('edits made offline on both sides merge when the server returns', async () => {
    const pa = await a.page('sidepanel.html#cadre/C001');
    const pb = await b.page('sidepanel.html#cadre/C001');
    for (const p of [pa, pb]) {
      await expect.poll(() => p.locator('[data-record-id]').count(), { timeout: 20_000 }).toBe(3);
      await expect.poll(() => connection(p), { timeout: 20_000 }).toBe('online');
    }

    await server.stop();
    for (const p of [pa, pb]) await expect.poll(() => connection(p), { timeout: 20_000 }).toBe('offline');
    await expect(pa.getByTestId('status-line').textContent()).resolves.toContain('离线');

    // Different records on each side, the same record revoked on both with different reasons,
    // and an annotation each.
    await addRecord(pa, '甲：个人事项报告');
    await addRecord(pb, '乙：个人事项报告');
    await revoke(pa, '提醒谈话：工作作风', '甲的理由');
    await revoke(pb, '提醒谈话：工作作风', '乙的理由');
    await annotate(pa, '甲离线批注');
    await annotate(pb, '乙离线批注');
    // Each side sees its own work at once and counts what the server has not confirmed yet.
    await expect.poll(() => pa.getByTestId('unconfirmed').textContent()).toMatch(/^\d+ 项本地更改待确认$/);
    await expect(records(pa)).resolves.toEqual(expect.arrayContaining([expect.stringContaining('甲：个人事项报告')]));
    await expect(records(pa)).resolves.not.toEqual(
      expect.arrayContaining([expect.stringContaining('乙：个人事项报告')]),
    );

    await server.restart();
    for (const p of [pa, pb]) {
      await expect
        .poll(() => records(p), { timeout: 45_000 })
        .toEqual(
          expect.arrayContaining([
            expect.stringContaining('甲：个人事项报告'),
            expect.stringContaining('乙：个人事项报告'),
          ]),
        );
      await expect
        .poll(() => p.getByTestId('annotations').textContent(), { timeout: 20_000 })
        .toMatch(/甲离线批注[\s\S]*乙离线批注|乙离线批注[\s\S]*甲离线批注/);
    }
    // Each is told what the other did meanwhile, and the record is marked.
    const arrivals = /上次查看以来同事更新了 [1-9]\d* 条记录、1 条批注/;
    await expect.poll(() => pa.getByTestId('arrivals').textContent(), { timeout: 10_000 }).toMatch(arrivals);
    await expect(pa.locator('[data-record-id]', { hasText: '乙：个人事项报告' }).textContent()).resolves.toContain(
      '上次查看后更新',
    );
    await saveScreenshot(pa, 'sidepanel-after-offline', { fullPage: false });
    // Same result on both sides, record by record; the doubly revoked record has one winner.
    await expect
      .poll(async () => JSON.stringify(await records(pa)), { timeout: 10_000 })
      .toBe(JSON.stringify(await records(pb)));
    await expect(pa.locator('.revocation').allTextContents()).resolves.toEqual([
      expect.stringMatching(/撤销：(甲|乙)的理由$/),
    ]);
    expect(await records(pa)).toHaveLength(5);
    await pb.close();

    // The notice outlives the panel: closed and reopened, it still reports the colleague's work
    // (and not the user's own edits from before), until acknowledged; then it stays gone.
    const reopenA = async () => {
      const p = await a.page('sidepanel.html#cadre/C001');
      await expect.poll(() => p.locator('[data-record-id]').count(), { timeout: 20_000 }).toBe(5);
      return p;
    };
    const noticeBefore = await pa.getByTestId('arrivals').textContent();
    await pa.close();
    let reopened = await reopenA();
    await expect.poll(() => reopened.getByTestId('arrivals').textContent(), { timeout: 10_000 }).toBe(noticeBefore);
    await expect(
      reopened.locator('[data-record-id]', { hasText: '乙：个人事项报告' }).textContent(),
    ).resolves.toContain('上次查看后更新');
    await expect(
      reopened.locator('[data-record-id]', { hasText: '甲：个人事项报告' }).textContent(),
    ).resolves.not.toContain('上次查看后更新');
    await reopened.getByTestId('arrivals').getByRole('button', { name: '知道了' }).click();
    await expect.poll(() => reopened.getByTestId('arrivals').count()).toBe(0);
    await reopened.close();
    reopened = await reopenA();
    // Settled: the annotations are shown, so the notes document is open and could have reported.
    await expect
      .poll(() => reopened.getByTestId('annotations').textContent(), { timeout: 20_000 })
      .toContain('乙离线批注');
    expect(await reopened.getByTestId('arrivals').count()).toBe(0);
    expect(await reopened.locator('.tag.new').count()).toBe(0);
    await reopened.close();
  });
});
