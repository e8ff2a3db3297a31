import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { saveScreenshot } from './support/index.ts';
import {
  accessibleTexts,
  attr,
  axNodes,
  badges,
  clickBackendNode,
  focusBackendNode,
  piercedDocument,
  type CdpNode,
} from './support/cdp-badges.ts';
import { expectedLabel, tx, WANG_FANG_COMMENDATION } from './support/portal-fixtures.ts';
import { CHOOSE_ZHANG_WEI, useOverlayStage } from './support/portal-scene.ts';
import { putRecordElsewhere } from './support/seed.ts';

/**
 * What a badge says and does: its card (on hover or focus; hoverable, persistent, dismissable),
 * its loud or quiet form, the side panel a click or Enter opens, and a dossier edited elsewhere
 * reaching the badge on an open page.
 */

/** Every badge button's class list, by its accessible name (read through the pierced DOM). */
async function badgeClasses(page: Page): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const walk = (n: CdpNode) => {
    if (n.nodeName === 'BUTTON' && attr(n, 'aria-label'))
      out.set(attr(n, 'aria-label')!, (attr(n, 'class') ?? '').split(/\s+/));
    for (const c of [...(n.children ?? []), ...(n.shadowRoots ?? [])]) walk(c);
    if (n.contentDocument) walk(n.contentDocument);
  };
  walk(await piercedDocument(page));
  return out;
}

describe('portal overlay: the badge card and what a badge opens', () => {
  const stage = useOverlayStage();

  test('a badge click opens the side panel on that subject; an ambiguous one asks to choose', async () => {
    const { open, panelTarget } = stage();
    const page = await open('legacy-gbk.html');
    await expect.poll(async () => (await badges(page)).length, { timeout: 20_000 }).toBeGreaterThan(5);
    const all = await badges(page);
    await clickBackendNode(page, all.find((b) => b.label.startsWith('欧阳明'))!.button);
    await expect.poll(panelTarget, { timeout: 10_000 }).toEqual({ subject: { type: 'cadre', id: 'C004' } });
    await clickBackendNode(page, all.find((b) => b.label.includes(tx.ambiguous(2)))!.button);
    await expect.poll(panelTarget, { timeout: 10_000 }).toEqual(CHOOSE_ZHANG_WEI);
    await page.close();
  });

  test('keyboard: a badge is focusable, shows its card on focus, and Enter opens the dossier', async () => {
    const { open, panelTarget, subject } = stage();
    const page = await open('legacy-gbk.html');
    await expect.poll(async () => (await badges(page)).length, { timeout: 20_000 }).toBeGreaterThan(5);
    const b = (await badges(page)).find((x) => x.label.startsWith('李娜'))!;
    await focusBackendNode(page, b.button);
    // The card (role tooltip, in the top layer) carries the summary: unit, post, flags, legend.
    const li = subject('cadre', 'C005');
    await expect
      .poll(() => accessibleTexts(page))
      .toEqual(expect.arrayContaining([`${li.unitName} · ${li.post}`, `⚑ ${tx.flags(li.flags)}`, tx.legend]));
    await saveScreenshot(page, 'overlay-card');
    await page.keyboard.press('Enter');
    await expect.poll(panelTarget, { timeout: 10_000 }).toEqual({ subject: { type: 'cadre', id: 'C005' } });
    await page.close();
  });

  test("WCAG 1.4.13: the card is hoverable, persistent and dismissable; its words are the badge's description", async () => {
    const { open, subject } = stage();
    const page = await open('legacy-gbk.html');
    await expect.poll(async () => (await badges(page)).length, { timeout: 20_000 }).toBeGreaterThan(5);
    const li = subject('cadre', 'C005');
    const badge = (await badges(page)).find((x) => x.label.startsWith('李娜 · '))!;
    // The description reaches screen readers without hovering: unit and post, flags, legend.
    const described = (await axNodes(page)).find((n) => n.role?.value === 'button' && n.name?.value === badge.label);
    expect(described?.description?.value).toContain(`${li.unitName} · ${li.post}`);
    expect(described?.description?.value).toContain(tx.flags(li.flags));
    expect(described?.description?.value).toContain(tx.legend);
    const cardOpen = async () =>
      (await axNodes(page)).some((n) => n.role?.value === 'StaticText' && n.name?.value === tx.legend);
    expect(await cardOpen()).toBe(false);
    // Hover: the card opens below the badge; the pointer moves straight down onto it and it stays
    // (the leave is decided in the mouse event itself: no timer can close it later).
    await clickBackendNode(page, badge.button, 'hover');
    await expect.poll(cardOpen, { timeout: 5000 }).toBe(true);
    const cdp = await page.context().newCDPSession(page);
    const { model } = (await cdp.send('DOM.getBoxModel', { backendNodeId: badge.button })) as {
      model: { border: number[] };
    };
    await cdp.detach();
    const [x1, , , , , y3] = model.border as [number, number, number, number, number, number];
    for (let dy = 1; dy <= 16; dy += 3) await page.mouse.move(x1 + 4, y3 + dy);
    expect(await cardOpen()).toBe(true);
    // Escape dismisses it, though focus is on the page, not on the badge.
    await page.keyboard.press('Escape');
    await expect.poll(cardOpen, { timeout: 5000 }).toBe(false);
    // Leaving for the page closes it.
    await clickBackendNode(page, badge.button, 'hover');
    await expect.poll(cardOpen, { timeout: 5000 }).toBe(true);
    await page.mouse.move(2, 2);
    await expect.poll(cardOpen, { timeout: 5000 }).toBe(false);
    await page.close();
  });

  test('what a badge says: loud for what matters, quiet for the ordinary; a period that is over says so', async () => {
    const { index, open, subject } = stage();
    const page = await open('form-table.html');
    await expect.poll(async () => (await badges(page)).length, { timeout: 20_000 }).toBe(4);
    const classes = await badgeClasses(page);
    const label = (who: string, name: string) => expectedLabel(index, who, name);
    // 张伟 C001: a black and a yellow dot, a period running. 赵敏: a black dot (period over).
    expect(classes.get(label('C001', '张伟'))).toContain('loud');
    expect(classes.get(label('C007', '赵敏'))).toContain('loud');
    // 张伟 C002: two red dots and an A: nothing that matters.
    expect(classes.get(label('C002', '张伟'))).toContain('quiet');
    const zhao = subject('cadre', 'C007');
    const over = '党内严重警告 2020年7月21日，影响期已满';
    expect(zhao.dots.black).toBe(1);
    expect(zhao.periods).toEqual([]);
    expect(zhao.endedPeriods).toEqual([over]);
    const described = (await axNodes(page)).find(
      (n) => n.role?.value === 'button' && n.name?.value === label('C007', '赵敏'),
    );
    expect(described?.description?.value).toContain(over);
    const b = (await badges(page)).find((x) => x.label === label('C007', '赵敏'))!;
    await clickBackendNode(page, b.button, 'hover');
    await expect.poll(async () => (await accessibleTexts(page)).includes(over), { timeout: 5000 }).toBe(true);
    await saveScreenshot(page, 'overlay-form-table-card');
    await page.close();
  });

  // Last: it changes 王芳's dossier, which the other tests' expected labels do not know.
  test('a dossier edited elsewhere updates the badge on an open page', async () => {
    const { admin, open, server, want } = stage();
    const page = await open('profile.html');
    const wangFang = async () => (await badges(page)).find((b) => b.after === '王芳')?.label ?? '';
    await expect.poll(wangFang, { timeout: 20_000 }).toBe(want('王芳', 'C003')[1]);
    expect(await wangFang()).not.toContain('红点');
    await putRecordElsewhere(server.url, admin, 'U01', WANG_FANG_COMMENDATION);
    await expect.poll(wangFang, { timeout: 20_000 }).toContain('红点1');
    await page.close();
  });
});
