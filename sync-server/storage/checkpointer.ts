/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever
 * commit crosses the threshold, copying the WAL into the database file and fsyncing it: tens of
 * milliseconds during which better-sqlite3 (synchronous) blocks every connection's messages.
 * The server disables it on its own connection and runs passive checkpoints from a worker
 * thread with a second connection instead; passive checkpoints never block writers.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Plain JavaScript evaluated in the worker, so it runs the same under tsx, vitest or node.
const workerSource = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); checkpoint(); db.close(); parentPort.postMessage('closed'); });
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, intervalMs = 1000): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(workerSource, { eval: true, workerData: { file, driver, intervalMs } });
  worker.unref();
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        worker.once('message', () => void worker.terminate().then(() => resolve()));
        worker.once('error', () => resolve());
        worker.postMessage('stop');
      }),
  };
}
