import * as v from 'valibot';
import type { Locale } from '../../core/model/messages.ts';
import zhMessages from '../public/_locales/zh_CN/messages.json';
import enMessages from '../public/_locales/en/messages.json';
import { storedItem } from './stored-item.ts';

/**
 * UI text. The messages live in public/_locales/<locale>/messages.json, the format browser.i18n
 * reads for the manifest's __MSG_…__ strings, so there is one catalogue for everything. Pages
 * resolve it themselves rather than through browser.i18n.getMessage because getMessage is tied
 * to the locales the browser binary ships (a Chromium with only en-US.pak can never show Chinese)
 * and cannot honour the user's choice on the options page. The language follows the browser's
 * preferred languages (navigator.languages) unless the user picked one; zh-CN is the default.
 */

interface Message {
  message: string;
  placeholders?: Record<string, { content: string }>;
}
type Catalogue = Record<string, Message>;

export type MessageKey = keyof typeof zhMessages;
export type LanguageChoice = 'auto' | Locale;

const catalogues: Record<Locale, Catalogue> = { 'zh-CN': zhMessages, en: enMessages };
/** The user's pick on the options page; nothing stored means "follow the browser" ('auto'). */
const languageItem = storedItem('language', v.picklist(['zh-CN', 'en'] satisfies Locale[]));

let active: Locale = detectLocale(globalThis.navigator?.languages ?? []);

/** The first preferred language we have a catalogue for; zh-CN when none matches. */
export function detectLocale(preferred: readonly string[]): Locale {
  for (const lang of preferred) {
    const l = lang.toLowerCase();
    if (l.startsWith('zh')) return 'zh-CN';
    if (l.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

/** Loads the user's language choice; pages await this before their first render. */
export async function initI18n(): Promise<Locale> {
  const choice = await readLanguageChoice();
  active = choice === 'auto' ? detectLocale(globalThis.navigator?.languages ?? []) : choice;
  return active;
}

export async function readLanguageChoice(): Promise<LanguageChoice> {
  return (await languageItem.get()) ?? 'auto';
}

export async function writeLanguageChoice(choice: LanguageChoice): Promise<void> {
  await (choice === 'auto' ? languageItem.remove() : languageItem.set(choice));
}

/** Chrome's messages.json substitution rules: $NAME$ placeholders, then $1…$9, and $$ for $. */
export function format(entry: Message | undefined, substitutions: readonly (string | number)[]): string | undefined {
  if (!entry) return undefined;
  const subs = substitutions.map(String);
  const positional = (s: string) => s.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');
  let text = entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name: string) => {
    const p = entry.placeholders?.[name.toLowerCase()] ?? entry.placeholders?.[name];
    return p ? positional(p.content) : whole;
  });
  // NUL stands in for an escaped $ while the positional $1…$9 are replaced: no message contains it.
  // eslint-disable-next-line no-control-regex
  text = positional(text.replace(/\$\$/g, '\u0000')).replace(/\u0000/g, '$');
  return text;
}

export function t(key: MessageKey, ...substitutions: (string | number)[]): string {
  return tIn(active, key, ...substitutions);
}

/** `t` in a given locale (for code that is handed the locale, as core's validation texts are). */
export function tIn(locale: Locale, key: MessageKey, ...substitutions: (string | number)[]): string {
  // A key missing from English falls back to Chinese, then to the key: never a blank label.
  return format(catalogues[locale][key], substitutions) ?? format(catalogues['zh-CN'][key], substitutions) ?? key;
}

/** The locale for core's texts (validation messages, rule explanations, vocabulary labels). */
export function uiLocale(): Locale {
  return active;
}

/** A bilingual label from the core vocabularies, in the UI language. */
export function label(l: { zh: string; en: string }): string {
  return active === 'zh-CN' ? l.zh : l.en || l.zh;
}

/** Calls `cb` when the user changes the language (the background re-grades its index in it). */
export const onLanguageChange = (cb: () => void): (() => void) => languageItem.watch(() => cb());

/** Extension pages reload into the new language when the user changes it. */
export function reloadOnLanguageChange(): void {
  languageItem.watch(() => location.reload());
}
