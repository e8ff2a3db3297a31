import * as v from 'valibot';
import { browser } from 'wxt/browser';

/**
 * Opening the side panel on a subject. The background records what to show in storage.session
 * (extension pages only; content scripts cannot read it) and opens the panel; the panel shows the
 * latest target and follows later ones while open. A link (#cadre/C001) works too, which is how
 * Firefox without a sidebar gesture and tests open a dossier in a tab.
 */

export const subjectRefSchema = v.object({ type: v.picklist(['cadre', 'unit']), id: v.pipe(v.string(), v.minLength(1), v.maxLength(64)) });
export type SubjectRef = v.InferOutput<typeof subjectRefSchema>;

export const panelTargetSchema = v.union([
  v.object({ subject: subjectRefSchema }),
  /** An ambiguous name on the page: the panel asks the user to pick, never guesses. */
  v.object({ candidates: v.pipe(v.array(subjectRefSchema), v.minLength(1), v.maxLength(50)) }),
]);
export type PanelTarget = v.InferOutput<typeof panelTargetSchema>;

const KEY = 'panelTarget';

export async function setPanelTarget(target: PanelTarget): Promise<void> {
  // `at` makes repeated clicks on the same badge a change the panel hears.
  await browser.storage.session.set({ [KEY]: { target, at: Date.now() } });
}

export async function readPanelTarget(): Promise<PanelTarget | undefined> {
  const raw = (await browser.storage.session.get(KEY))[KEY] as { target?: unknown } | undefined;
  const parsed = v.safeParse(panelTargetSchema, raw?.target);
  return parsed.success ? parsed.output : undefined;
}

export function onPanelTarget(cb: (target: PanelTarget) => void): () => void {
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area !== 'session' || !(KEY in changes)) return;
    const parsed = v.safeParse(panelTargetSchema, (changes[KEY]?.newValue as { target?: unknown } | undefined)?.target);
    if (parsed.success) cb(parsed.output);
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}

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
 * relayed by the content script): `sidePanel.open` is therefore called before anything is
 * awaited. Firefox opens its sidebar; where neither is possible the dossier opens in a tab.
 */
export async function openDossierPanel(tabId: number, target: PanelTarget): Promise<void> {
  const chromePanel = (browser as unknown as { sidePanel?: { open(o: { tabId: number }): Promise<void> } }).sidePanel;
  const firefoxSidebar = (browser as unknown as { sidebarAction?: { open(): Promise<void> } }).sidebarAction;
  const opening = chromePanel ? chromePanel.open({ tabId }) : firefoxSidebar ? firefoxSidebar.open() : Promise.reject(new Error('no side panel'));
  await setPanelTarget(target);
  try {
    await opening;
  } catch {
    const hash = 'subject' in target ? hashFor(target.subject) : '';
    await browser.tabs.create({ url: browser.runtime.getURL(`/sidepanel.html${hash}`) });
  }
}
