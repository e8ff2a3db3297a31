import * as v from 'valibot';
import { browser } from 'wxt/browser';
import { subjectSchema, type Subject } from '../../core/model/schemas.ts';
import { storedItem } from './stored-item.ts';

/**
 * Opening the side panel on a subject. The background records what to show in storage.session
 * (extension pages only; content scripts cannot read it) and opens the panel; the panel shows the
 * latest target and follows later ones while open. A link (#cadre/C001) works too, which is how
 * Firefox without a sidebar gesture and tests open a dossier in a tab.
 */

/** A cadre or unit named by id: the model's own schema (core/model/schemas.ts), one copy. */
export const subjectRefSchema = subjectSchema;
export type SubjectRef = Subject;

export const panelTargetSchema = v.union([
  v.object({ subject: subjectRefSchema }),
  /** An ambiguous name on the page: the panel asks the user to pick, never guesses. */
  v.object({ candidates: v.pipe(v.array(subjectRefSchema), v.minLength(1), v.maxLength(50)) }),
]);
export type PanelTarget = v.InferOutput<typeof panelTargetSchema>;

/** `at` makes repeated clicks on the same badge a change the panel hears. */
const targetItem = storedItem('panelTarget', v.looseObject({ target: panelTargetSchema }), 'session');

export async function setPanelTarget(target: PanelTarget): Promise<void> {
  await targetItem.set({ target, at: Date.now() });
}

export const readPanelTarget = async (): Promise<PanelTarget | undefined> => (await targetItem.get())?.target;

export const onPanelTarget = (cb: (target: PanelTarget) => void): (() => void) =>
  targetItem.watch((stored) => {
    if (stored) cb(stored.target);
  });

/** `#cadre/C001` or `#unit/A01` → the subject; anything else → undefined. */
export function targetFromHash(hash: string): PanelTarget | undefined {
  const m = /^#(cadre|unit)\/(.+)$/.exec(hash);
  if (!m) return undefined;
  const parsed = v.safeParse(subjectRefSchema, { type: m[1], id: decodeURIComponent(m[2]!) });
  return parsed.success ? { subject: parsed.output } : undefined;
}

export function hashFor(subject: SubjectRef): string {
  return `#${subject.type}/${encodeURIComponent(subject.id)}`;
}

/**
 * Opens the panel in `tabId` on `target`. Must run inside the user's gesture (a badge click
 * relayed by the content script): the panel is therefore asked to open before anything is
 * awaited. Where no panel can show it, the dossier opens in a tab of its own (see README,
 * "Browsers"): Chromium before 114 has no side panel and before 116 no `sidePanel.open`;
 * Firefox opens its sidebar only from its own toolbar or menus, never from a page's click, but an
 * open sidebar follows the target like Chrome's panel.
 */
export async function openDossierPanel(tabId: number, target: PanelTarget): Promise<void> {
  const opening = openSidePanel(tabId);
  await setPanelTarget(target);
  if (await opening) return;
  await showInTab('subject' in target ? hashFor(target.subject) : '');
}

type ChromeSidePanel = { open?(o: { tabId: number }): Promise<void> };
type FirefoxSidebar = { open?(): Promise<void>; isOpen?(details: object): Promise<boolean> };

/** Starts opening the side panel (Chromium) or sidebar (Firefox); resolves to whether one shows the target. */
function openSidePanel(tabId: number): Promise<boolean> {
  const api = browser as unknown as { sidePanel?: ChromeSidePanel; sidebarAction?: FirefoxSidebar };
  const panel = api.sidePanel;
  if (typeof panel?.open === 'function')
    return panel.open({ tabId }).then(
      () => true,
      () => false,
    );
  const sidebar = api.sidebarAction;
  if (typeof sidebar?.open === 'function') {
    return sidebar.open().then(
      () => true,
      () => sidebar.isOpen?.({}).catch(() => false) ?? false,
    );
  }
  return Promise.resolve(false);
}

const tabItem = storedItem('dossierTab', v.number(), 'session');

/**
 * The dossier in a tab: the one this fallback opened before if it still shows the panel page (it
 * follows the target; its address is updated too, so a reload shows the same subject), else a
 * new one. An extension sees the address of its own pages without the `tabs` permission.
 */
async function showInTab(hash: string): Promise<void> {
  const page = browser.runtime.getURL('/sidepanel.html');
  const known = await tabItem.get();
  const tab = known !== undefined ? await browser.tabs.get(known).catch(() => undefined) : undefined;
  if (tab?.id !== undefined && tab.url?.startsWith(page)) {
    await browser.tabs.update(tab.id, { url: `${page}${hash}`, active: true });
    await browser.windows?.update(tab.windowId, { focused: true }).catch(() => undefined);
    return;
  }
  const created = await browser.tabs.create({ url: `${page}${hash}` });
  if (created.id !== undefined) await tabItem.set(created.id);
}
