/**
 * Headless Chromium for the page benchmarks (the system's /usr/bin/chromium through playwright-core).
 * A helper, not a benchmark.
 */
import { type Browser, chromium } from 'playwright-core';

/** No background traffic or component updates: work of the browser's own beside the page measured. */
export const QUIET = ['--disable-background-networking', '--disable-component-update'];

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', ...extraArgs],
  });
}
