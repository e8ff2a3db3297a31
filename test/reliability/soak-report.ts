/**
 * RELIABILITY.md as `npm run soak` (soak.ts) writes it: what was tried, how many, what failed.
 */
import { cpus } from 'node:os';

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);

export interface CycleResult {
  cycle: number;
  killedAfterMs: number;
  ackedEdits: number;
  missingAcked: number;
  maxRss: number;
  connections: number;
  restartMs: number;
  /** The store on disk (database and WAL) after the restart: what the server's memory follows. */
  storeBytes: number;
}

export function renderReport(r: {
  startedAt: Date;
  /** Load averages before the soak (after: `loadAfter`). */
  loadBefore: number[];
  clientCount: number;
  docCount: number;
  cycleSeconds: number;
  results: CycleResult[];
  failures: string[];
  totalEdits: number;
  totalAcked: number;
  converged: boolean;
  convergeMs: number;
  refusals: string[];
  rssFirst: number;
  rssMax: number;
  rssLast: number;
  heapMax: number;
  loadAfter: number[];
  durationMs: number;
}): string {
  const { startedAt, loadBefore, clientCount, docCount, cycleSeconds } = r;
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  /** One line of the file, written here in phrases. */
  const line = (...phrases: string[]) => phrases.join(' ');
  const head = [
    'cycle',
    'killed after',
    'acknowledged edits',
    'missing after restart',
    'max RSS',
    'connections',
    'restart',
    'store on disk',
  ];
  const lines = [
    '# Reliability',
    '',
    'Written by `npm run soak` (test/reliability/soak.ts); run it again to regenerate this file. The',
    'shorter checks run inside `npm test`: the authorisation matrix (sync-server/authz-matrix.test.ts),',
    'a seeded fuzzer of hostile frames and updates (sync-server/fuzz.test.ts), the attacks of issue 10',
    '(sync-server/attacks.test.ts, requests.test.ts, datadir.test.ts, integrity.test.ts) and three',
    'SIGKILLs with several writers (sync-server/crash.test.ts).',
    '',
    '## Last soak',
    '',
    line(
      `- When: ${startedAt.toISOString()}, ${(r.durationMs / 60_000).toFixed(1)} minutes;`,
      `${cpus().length} CPU cores shared with other work, load average ${load(loadBefore)} before and`,
      `${load(r.loadAfter)} after (figures measured on a busy machine are slower, never less correct).`,
    ),
    line(
      `- Load: ${clientCount} stock y-websocket clients over ${docCount} documents, each writing an edit`,
      `about once a second through every kill (${r.totalEdits.toLocaleString('en')} edits in all),`,
      'plus 8 acknowledging writers per cycle streaming into 4 documents of their own.',
    ),
    line(
      `- Kills: ${r.results.length} SIGKILLs of the server at a seeded random moment of each ${cycleSeconds} s cycle,`,
      'each followed by a restart on the same data directory and port.',
    ),
    line(
      `- Acknowledged writes: ${r.totalAcked.toLocaleString('en')} edits the server had acknowledged`,
      '(its sync step 1 state vector) before a kill; missing after the restart:',
      `**${r.results.reduce((s, c) => s + c.missingAcked, 0)}**.`,
    ),
    `- Convergence: ${
      r.converged
        ? line(
            `**every client converged**: after writing stopped, each of the ${clientCount} clients held exactly`,
            "the server's state, and the server held every edit every client made",
            `(${(r.convergeMs / 1000).toFixed(1)} s after the last restart)`,
          )
        : '**not every client converged** (see failures)'
    }.`,
    line(
      `- Server memory (RSS from /metrics every 2 s): ${mib(r.rssFirst)} MiB first, ${mib(r.rssMax)} MiB at most,`,
      `${mib(r.rssLast)} MiB last; V8 heap at most ${mib(r.heapMax)} MiB. Each restart is a fresh process that`,
      'loads the documents again, so memory follows the data (the store on disk, last column; every loaded',
      'document is held twice, durable and staging, update-guard.ts), not the number of kills or of clients.',
    ),
    line(
      `- Refusals the server counted: ${r.refusals.length === 0 ? 'none' : r.refusals.join(', ')}.`,
      "All clients are honest: `awareness-id` counts colleagues' presence that stock clients relay and the",
      'server drops by design (presence.ts); `pending` counts live edits that overtook the step 2 after a',
      'reconnect, dropped quietly and sent again with it (update-guard.ts).',
    ),
    '',
    `| ${head.join(' | ')} |`,
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.results.map((c) =>
      line(
        `| ${c.cycle} | ${(c.killedAfterMs / 1000).toFixed(1)} s | ${c.ackedEdits.toLocaleString('en')} |`,
        `${c.missingAcked} | ${c.maxRss > 0 ? `${mib(c.maxRss)} MiB` : '—'} | ${c.connections} |`,
        `${(c.restartMs / 1000).toFixed(1)} s | ${mib(c.storeBytes)} MiB |`,
      ),
    ),
    '',
    '## Failures',
    '',
    ...(r.failures.length === 0 ? ['None.'] : r.failures.map((f) => `- ${f}`)),
    '',
  ];
  return lines.join('\n');
}
