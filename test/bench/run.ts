/**
 * `npm run bench [-- NAME ...] [-- --write]`: run every benchmark in test/bench, one after the
 * other (they measure time; running them together would measure each other). A file that
 * another file of test/bench names as a module path (e.g. overlay-page.ts, bundled by overlay.ts)
 * is a helper, not a benchmark, as is everything in test/bench/support. NAME arguments select
 * benchmarks by file name (`npm run bench -- server`); other arguments (`--write`) are passed on
 * to each benchmark.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const root = join(dir, '..', '..');
const files = readdirSync(dir).filter((file) => file.endsWith('.ts') && file !== 'run.ts');
// support/ holds the helpers the benchmarks share; they too may name a file here (a preload).
const support = readdirSync(join(dir, 'support')).map((file) => join('support', file));
const sources = new Map([...files, ...support].map((file) => [file, readFileSync(join(dir, file), 'utf8')]));
// Named as a module path (an import, a preload, a bundle entry), not in passing in a comment:
// server-gc.ts's comment names server.ts, which is still a benchmark.
const named = (text: string, file: string) =>
  text.includes(`'./${file}'`) || text.includes(`'../${file}'`) || text.includes(`test/bench/${file}'`);
const helpers = new Set(
  files.filter((file) => [...sources].some(([other, text]) => other !== file && named(text, file))),
);
const args = process.argv.slice(2);
const names = args.filter((arg) => !arg.startsWith('-'));
const passOn = args.filter((arg) => arg.startsWith('-'));
const benchmarks = files
  .filter((file) => !helpers.has(file))
  .filter((file) => names.length === 0 || names.some((name) => basename(file, '.ts').includes(name)))
  .sort();

const failed: string[] = [];
for (const file of benchmarks) {
  process.stdout.write(`\n=== ${file} ===\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join('test/bench', file), ...passOn], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) failed.push(`${file} (exit ${result.status ?? result.signal})`);
}
if (failed.length > 0) {
  process.stderr.write(`\nfailed: ${failed.join(', ')}\n`);
  process.exit(1);
}
