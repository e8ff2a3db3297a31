import * as v from 'valibot';
import type * as Y from 'yjs';
import { alertRecordSchema, type AlertRecord } from '../model/alert.ts';
import { docContext, type AccessorOptions } from './context.ts';
import { decodeEntity, encodeEntity } from './entry.ts';

/**
 * The `user:<sub>` document: one user's own state, synced between that user's devices and read by
 * nobody else (the server's rule, core/sync/access.ts). It holds what the alerts need to be
 * told once per user rather than once per device:
 *
 * | type | key → value |
 * |---|---|
 * | `state` (Y.Map) | `baselineAt` (alerts first evaluated for the user), `lastSeenAt` (the inbox's "seen up to") |
 * | `alerts` (Y.Map) | alert key → `AlertRecord` as JSON text: every alert ever raised, with when |
 * | `claims` (Y.Map) | `<alert key>\n<device>` → ISO time: devices about to notify (core/analysis/alert-claims.ts) |
 */

const STATE = 'state';
const ALERTS = 'alerts';
const CLAIMS = 'claims';
const SEP = '\n';

export interface Claim {
  device: string;
  at: string;
}

export interface UserState {
  readonly doc: Y.Doc;
  baselineAt(): string | undefined;
  lastSeenAt(): string | undefined;
  markSeen(at: string): void;
  /** Valid alert records, newest first; entries a faulty client wrote are counted in `invalid`. */
  alerts(): { records: AlertRecord[]; invalid: number };
  has(key: string): boolean;
  /** Records alerts (and the baseline time when `baseline`), in one transaction. */
  record(records: readonly AlertRecord[], opts?: { baselineAt?: string }): void;
  /** This device is about to tell the user about these alerts (one transaction). */
  claim(keys: readonly string[], device: string, at: string): void;
  claims(key: string): Claim[];
  /** Claims older than `before` have served their purpose (the alert is recorded by then). */
  pruneClaims(before: string): void;
}

const isoTime = v.pipe(v.string(), v.isoTimestamp());

export function userState(doc: Y.Doc, opts: AccessorOptions = {}): UserState {
  const ctx = docContext(doc, opts);
  const state = doc.getMap<unknown>(STATE);
  const alerts = doc.getMap<unknown>(ALERTS);
  const claims = doc.getMap<unknown>(CLAIMS);
  const timeOf = (x: unknown) => (v.is(isoTime, x) ? x : undefined);
  const write = (fn: () => void) => {
    if (ctx.writable()) return;
    doc.transact(() => {
      ctx.stamp();
      fn();
    });
  };
  return {
    doc,
    baselineAt: () => timeOf(state.get('baselineAt')),
    lastSeenAt: () => timeOf(state.get('lastSeenAt')),
    markSeen(at) {
      const prev = timeOf(state.get('lastSeenAt'));
      // Seen is monotonic: a device with a slow clock must not bring old alerts back as unseen.
      if (!prev || at > prev) write(() => state.set('lastSeenAt', at));
    },
    alerts() {
      const records: AlertRecord[] = [];
      let invalid = 0;
      for (const [key, raw] of alerts) {
        const r = v.safeParse(alertRecordSchema, decodeEntity(raw));
        if (r.success && r.output.key === key) records.push(r.output);
        else invalid++;
      }
      records.sort((a, b) => (a.raisedAt < b.raisedAt ? 1 : a.raisedAt > b.raisedAt ? -1 : a.key < b.key ? -1 : 1));
      return { records, invalid };
    },
    has: (key) => alerts.has(key),
    record(records, o = {}) {
      if (records.length === 0 && !o.baselineAt) return;
      write(() => {
        if (o.baselineAt && !state.has('baselineAt')) state.set('baselineAt', o.baselineAt);
        for (const r of records) if (!alerts.has(r.key)) alerts.set(r.key, encodeEntity(r));
      });
    },
    claim: (keys, device, at) => {
      if (keys.length) write(() => keys.forEach((key) => claims.set(`${key}${SEP}${device}`, at)));
    },
    claims(key) {
      const out: Claim[] = [];
      const prefix = `${key}${SEP}`;
      for (const [k, at] of claims) {
        const t = timeOf(at);
        if (k.startsWith(prefix) && t) out.push({ device: k.slice(prefix.length), at: t });
      }
      return out;
    },
    pruneClaims(before) {
      const old = [...claims].filter(([, at]) => (timeOf(at) ?? '') < before).map(([k]) => k);
      if (old.length) write(() => old.forEach((k) => claims.delete(k)));
    },
  };
}
