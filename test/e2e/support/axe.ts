import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * WCAG 2.1 A/AA checks with axe-core, run inside a real page of the built extension. The source is
 * evaluated through the DevTools protocol (Playwright's evaluate), which extension pages' CSP
 * (`script-src 'self'`) does not block, unlike an injected <script>.
 *
 * A serious or critical violation fails the test; moderate and minor ones are returned for the
 * caller to look at. Each page is checked in its main states (empty, filled, results, forms open,
 * errors): call this after bringing the page into each.
 */

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

export async function axeViolations(page: Page, opts: { exclude?: string[] } = {}): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (globalThis as any).axe !== 'undefined');
  if (!loaded) await page.evaluate(axe.source);
  return page.evaluate(
    async ({ tags, exclude }) => {
      const a = (globalThis as any).axe;
      const context = exclude.length ? { exclude: exclude.map((s) => [s]) } : document;
      const result = await a.run(context, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations.map((v: any) => ({
        id: v.id,
        impact: v.impact ?? null,
        help: v.help,
        nodes: v.nodes.map((n: any) => ({ target: n.target, failureSummary: n.failureSummary })),
      }));
    },
    { tags: TAGS, exclude: opts.exclude ?? [] },
  );
}

function describe(violations: AxeViolation[]): string {
  return violations
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help}\n${v.nodes
          .slice(0, 5)
          .map((n) => `    ${n.target.join(' ')} — ${n.failureSummary ?? ''}`)
          .join('\n')}`,
    )
    .join('\n');
}

/** Fails with a readable list when the page, in its current state, has a serious or critical violation. */
export async function expectAccessible(
  page: Page,
  state: string,
  opts: { exclude?: string[] } = {},
): Promise<AxeViolation[]> {
  const violations = await axeViolations(page, opts);
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking, `${state}: axe found\n${describe(blocking)}`).toEqual([]);
  return violations;
}
