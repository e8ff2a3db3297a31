import { browser } from 'wxt/browser';
import { announce, unseen } from '../../core/analysis/alert-claims.ts';
import { annualAppraisal, currentAlerts, type KnownReview } from '../../core/analysis/alerts.ts';
import { createRowStore } from '../../core/analysis/row-store.ts';
import { unitRows } from '../../core/analysis/rows.ts';
import { today } from '../../core/dates.ts';
import { observeDoc } from '../../core/doc/observe.ts';
import { REGISTER_DOC, userDocName } from '../../core/doc/names.ts';
import { roleOn } from '../../core/sync/scope.ts';
import { userState, type UserState } from '../../core/doc/user-doc.ts';
import type { AlertRecord } from '../../core/model/alert.ts';
import type { SyncedDoc, Workspace } from '../../core/sync/index.ts';
import { alertText, KIND_LABEL } from '../components/alerts/alert-text.ts';
import { colon } from '../components/city/labels.ts';
import { deviceId, readAlertSettings, writeAlertCheck } from './alert-settings.ts';
import { t, uiLocale } from './i18n.ts';
import { identityFromToken } from './identity.ts';
import { readConnection } from './settings.ts';
import type { WorkspaceHost } from './workspace-host.ts';

/**
 * 预警提醒 in the background: whenever the dossiers in scope change (a colleague's edit, a sync
 * after being offline) or the day turns, compute the alerts that hold (core/analysis/alerts.ts),
 * have the user told once across their devices (core/analysis/alert-claims.ts, through the user's
 * own `user:<sub>` document), show a browser notification for each new one whose kind is switched
 * on (options page), and keep the toolbar button's count of alerts not yet seen in the inbox.
 *
 * It follows the background's workspace (the host reopens it after enrolment or a language
 * change) and reads the unit documents that workspace already keeps open for the overlay.
 */

const DEBOUNCE_MS = 1000;
const DAY_CHECK_MS = 15 * 60_000;
/**
 * A woken background first serves the overlay (badges within 300 ms of a page's load, cold): the
 * alerts' rows are built a moment later, one unit per task, never in one long block.
 */
const START_DELAY_MS = 3000;
const nextTask = () => new Promise<void>((r) => setTimeout(r, 0));

export interface AlertHostDeps {
  /** Waits; tests may shorten the settle time of claims. */
  settleMs?: number;
}

export function startAlertHost(host: WorkspaceHost, deps: AlertHostDeps = {}): void {
  let session: { ws: Workspace; stop: () => void } | undefined;
  const follow = () => {
    const ws = host.current();
    if (session?.ws === ws) return;
    session?.stop();
    session = undefined;
    void setBadge(0);
    if (ws) session = { ws, stop: watch(ws, deps) };
  };
  host.overlaySource.onChange(follow);
  // As soon as a workspace is there (its status), not once its units are indexed: the user's own
  // document then syncs alongside them.
  host.onStatus(follow);
  follow();
  browser.notifications?.onClicked.addListener((id) => {
    void browser.notifications.clear(id);
    void browser.tabs.create({ url: browser.runtime.getURL('/alerts.html') });
  });
}

function watch(ws: Workspace, deps: AlertHostDeps): () => void {
  let stopped = false;
  const stops: (() => void)[] = [];
  const store = createRowStore();
  let state: UserState | undefined;
  let userDoc: SyncedDoc | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  /** Every unit's rows built once: before that, alerts would miss units (and a baseline would be short). */
  let ready = false;

  const rebuild = async (code: string) => {
    if (!ws.inScope(code)) return;
    const { dossiers } = await ws.unit(code);
    const entry = ws.workspace.units.get(code);
    store.set(
      code,
      unitRows(dossiers, {
        asOf: today(),
        config: ws.workspace.config.get().value,
        unit: entry?.ok ? entry.value : undefined,
        unitCode: code,
      }),
    );
  };
  const rebuildAll = async (codes: readonly string[]) => {
    for (const code of codes) {
      if (stopped) return;
      await rebuild(code);
      await nextTask();
    }
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void evaluate(), DEBOUNCE_MS);
  };
  const evaluate = async (): Promise<void> => {
    if (stopped || !ready || !state || !userDoc) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      const s = state!;
      const synced = userDoc!;
      // The baseline must see everything the user can: a first evaluation on half-synced data
      // would announce the other half as news.
      if (!s.baselineAt()) await Promise.all(ws.docs().map((d) => d.whenSynced()));
      const asOf = today();
      const reviews = await knownReviews(ws, asOf);
      const device = await deviceId();
      // After a wipe or a reopen this evaluation belongs to nobody: it must write nothing.
      if (stopped) return;
      const snapshot = store.snapshot();
      const current = currentAlerts(snapshot.cadres, snapshot.units, { asOf, reviews });
      const announced = await announce(current, {
        state: s,
        device,
        now: () => new Date(),
        confirmed: () => synced.whenConfirmed(),
        wait: (ms) => new Promise((r) => setTimeout(r, ms)),
        ...(deps.settleMs !== undefined ? { settleMs: deps.settleMs } : {}),
      });
      if (stopped) return;
      await notify(announced, snapshot, ws);
      await writeAlertCheck({ at: new Date().toISOString(), announced: announced.length });
    })().finally(() => {
      running = undefined;
      if (again && !stopped) {
        again = false;
        schedule();
      }
    });
    await running;
  };

  void (async () => {
    const connection = await readConnection();
    const user = connection ? identityFromToken(connection.token)?.user : undefined;
    if (!user || stopped) return;
    const synced = await ws.doc(userDocName(user), 'user');
    userDoc = synced;
    if (stopped) return;
    await synced.whenSynced();
    if (stopped) return;
    state = userState(synced.doc, { locale: uiLocale() });
    const s = state;
    const count = () => void setBadge(unseen(s.alerts().records, s.lastSeenAt()).length);
    stops.push(observeDoc(synced.doc, count));
    count();
    await new Promise((r) => setTimeout(r, START_DELAY_MS));
    stops.push(ws.index.onChange((codes) => void rebuildAll(codes).then(schedule)));
    await rebuildAll(ws.workspace.units.ids());
    ready = true;
    const daily = setInterval(schedule, DAY_CHECK_MS);
    stops.push(() => clearInterval(daily));
    schedule();
  })().catch(() => undefined);

  return () => {
    stopped = true;
    clearTimeout(timer);
    for (const stop of stops) stop();
  };
}

/**
 * Reviews ahead: the annual appraisal, and requests in the commission's shared register
 * (core/doc/register-doc.ts) whose as-of date is still to come — when the user may read it.
 */
async function knownReviews(ws: Workspace, asOf: string): Promise<KnownReview[]> {
  const ahead: KnownReview[] = [];
  if (ws.grants && roleOn(ws.grants, REGISTER_DOC)) {
    const { register } = await ws.register();
    for (const e of register.batches.list())
      if (e.ok && e.value.asOf > asOf) ahead.push({ date: e.value.asOf, label: e.value.requestNo });
  }
  return [annualAppraisal(asOf, t('alerts_annualAppraisal')), ...ahead];
}

async function notify(
  records: AlertRecord[],
  snapshot: ReturnType<ReturnType<typeof createRowStore>['snapshot']>,
  ws: Workspace,
): Promise<void> {
  if (records.length === 0 || !browser.notifications) return;
  const settings = await readAlertSettings();
  const config = ws.workspace.config.get().value;
  for (const r of records) {
    if (!settings.notify[r.kind]) continue;
    const rows =
      r.subject.type === 'cadre'
        ? { cadre: snapshot.cadreById.get(r.subject.id) }
        : { unit: snapshot.unitByCode.get(r.subject.id) };
    await browser.notifications.create(`alert:${r.key}`, {
      type: 'basic',
      iconUrl: browser.runtime.getURL('/icon-128.png'),
      title: `${t(KIND_LABEL[r.kind])}${colon()}${r.name}`,
      message: alertText(r, rows, config),
      contextMessage: t('alerts_notificationContext'),
    });
  }
}

async function setBadge(n: number): Promise<void> {
  const action = browser.action ?? (browser as unknown as { browserAction?: typeof browser.action }).browserAction;
  await action?.setBadgeText({ text: n > 0 ? String(Math.min(n, 999)) : '' });
  await action?.setBadgeBackgroundColor?.({ color: '#b42318' });
}
