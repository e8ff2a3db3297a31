/**
 * GET /extension/<file>: the packaged extension and its update manifests, served from the
 * directory `npm run package` wrote (`--extension-dir`, OUT/extension), so an organisation's
 * machines install and update from the sync server they already reach (README, "Deployment").
 * Only plain file names with a package or manifest extension, straight in that directory: no
 * sub-paths, no dot files, nothing else that might lie beside them (a key, a policy with a token).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { ServerResponse } from 'node:http';

export const EXTENSION_PREFIX = '/extension/';

const TYPES: Record<string, string> = {
  '.crx': 'application/x-chrome-extension',
  '.xpi': 'application/x-xpinstall',
  '.xml': 'application/xml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** Answers GET /extension/<file> from `dir` (404 when no directory is configured or no such file). */
export async function serveExtensionFile(
  dir: string | undefined,
  pathname: string,
  res: ServerResponse,
): Promise<void> {
  const name = pathname.slice(EXTENSION_PREFIX.length);
  const type = TYPES[extname(name).toLowerCase()];
  const size =
    dir && type && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)
      ? await stat(join(dir, name)).then(
          (s) => (s.isFile() ? s.size : undefined),
          () => undefined,
        )
      : undefined;
  if (!dir || !type || size === undefined) {
    res
      .writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' })
      .end(JSON.stringify({ error: 'not found' }));
    return;
  }
  // Browsers poll the update manifests: always revalidate, so a new release is seen at once.
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': String(size), 'Cache-Control': 'no-cache' });
  await new Promise<void>((resolve, reject) => {
    createReadStream(join(dir, name)).on('error', reject).pipe(res).on('finish', resolve).on('error', reject);
  });
}
