// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import zh from '../public/_locales/zh_CN/messages.json';
import { cadreIn as cadre } from '../../core/match/test/fixtures.ts';
import { OverlayScanner } from './scanner.ts';
import { overlayTextFrom } from './text-table.ts';

let scanner: OverlayScanner | undefined;
afterEach(() => {
  scanner?.stop();
  document.body.replaceChildren();
});

/** Lets the page's mutation records reach the scanner's observer (delivered in a later task). */
const delivered = () => new Promise((r) => setTimeout(r, 0));

/** The names whose text node is followed by one of our badge hosts. */
const badged = (hosts: Set<HTMLElement>) =>
  [...hosts].filter((h) => h.isConnected).map((h) => (h.previousSibling?.textContent ?? '').trim());

describe('the scanner on a page (coordination of walk, plan and commit)', () => {
  it('badges the names of a page, follows its changes, and takes everything away on stop', async () => {
    document.body.innerHTML =
      '<table><tbody id="rows"><tr><td>王芳</td><td>市教育局</td></tr></tbody></table><p><input value="王芳"></p>';
    const hosts = new Set<HTMLElement>();
    let settled = 0;
    scanner = new OverlayScanner(document, {
      text: overlayTextFrom(zh),
      onOpen: () => undefined,
      onBadge: (host) => hosts.add(host),
      onSettled: () => settled++,
    });
    scanner.setIndex([cadre('C003', '王芳', '市教育局'), cadre('C004', '李强', '市财政局')]);
    await scanner.idle();
    expect(badged(hosts)).toEqual(['王芳']);
    expect(scanner.badgeCount).toBe(1);
    expect(settled).toBeGreaterThan(0);

    // A row arrives (an SPA page): its name is badged; the first keeps its badge.
    const first = [...hosts][0]!;
    const row = document.createElement('tr');
    row.innerHTML = '<td>李强</td><td>市财政局</td>';
    document.getElementById('rows')!.append(row);
    await delivered();
    await scanner.idle();
    expect(badged(hosts).sort()).toEqual(['李强', '王芳'].sort());
    expect(first.isConnected).toBe(true);

    // The name's text changes to someone unknown: its badge goes.
    row.firstChild!.firstChild!.textContent = '赵六';
    await delivered();
    await scanner.idle();
    expect(badged(hosts)).toEqual(['王芳']);

    scanner.stop();
    expect(badged(hosts)).toEqual([]);
  });
});
