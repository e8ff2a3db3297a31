/**
 * `--write`: a benchmark's results into its own section of BENCHMARKS.md. A helper, not a benchmark.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './servers.ts';

/**
 * Replace only what follows `<!-- results -->` under `## ${heading}` (the notes above it stay; other
 * sections belong to other benchmarks), adding the section, or the file, if it is not there yet.
 */
export function writeResults(heading: string, machine: string, table: string, samples: string): void {
  const file = join(repoRoot, 'BENCHMARKS.md');
  let text = '# Benchmarks\n';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // first benchmark to write the file
  }
  const marker = `\n## ${heading}\n`;
  const begin = text.indexOf(marker);
  const end = begin < 0 ? -1 : text.indexOf('\n## ', begin + marker.length);
  const previous = begin < 0 ? '' : text.slice(begin + marker.length, end < 0 ? undefined : end);
  const notes = previous.split('<!-- results -->')[0]?.trim() ?? '';
  const lastRun = `Last run ${new Date().toISOString().slice(0, 16)}Z, node ${process.version}, ${machine}:`;
  const body = `${notes ? notes + '\n\n' : ''}<!-- results -->\n${lastRun}\n\n${table}\n\n${samples}\n`;
  const section = `${marker}\n${body}`;
  const next =
    begin < 0 ? `${text.trimEnd()}\n${section}` : `${text.slice(0, begin)}${section}${end < 0 ? '' : text.slice(end)}`;
  writeFileSync(file, next);
}

/** A Markdown table, the first column left-aligned and the others (figures) right-aligned. */
export function markdownTable(head: string[], rows: string[][]): string {
  const separator = `|---|${head
    .slice(1)
    .map(() => '---:')
    .join('|')}|`;
  return [`| ${head.join(' | ')} |`, separator, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}
