/**
 * Portals an organisation presets, as match patterns (`https://gbxt.example.gov.cn/*`). Read from
 * DOSSIER_LENS_PORTALS by the build (wxt.config.ts) and from `--portals` by the packager
 * (deploy/package.ts): both fail on a pattern a browser would refuse, rather than ship a manifest
 * it will not load.
 */

const PATTERN = /^(https?|\*):\/\/(\*|\*\.[^/*]+|[^/*]+)\/.*$/;

export function isPortalPattern(pattern: string): boolean {
  return pattern === '<all_urls>' || PATTERN.test(pattern);
}

/** A comma-separated list → its patterns; throws naming the first one that is not a pattern. */
export function parsePortals(list: string | undefined, source: string): string[] {
  const patterns = (list ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const p of patterns) {
    if (!isPortalPattern(p))
      throw new Error(`${source}: "${p}" is not a match pattern such as https://portal.example.gov.cn/*`);
  }
  return patterns;
}
