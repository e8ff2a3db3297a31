import type * as Y from 'yjs';
import { today, type IsoDate } from '../dates.ts';
import type { Locale } from '../model/messages.ts';
import type { DocContext } from './collection.ts';
import { stampIfNew, writeGuard } from './migrations.ts';

export interface AccessorOptions {
  /** Language of validation messages; zh-CN by default, like the UI. */
  locale?: Locale;
  /** Clock for `at` stamps when the caller gives none (tests inject a fixed one). */
  now?: () => string;
  /** Today's date for reading (dates after it are invalid); Beijing time by default (core/dates.ts). */
  today?: () => IsoDate;
}

export function docContext(doc: Y.Doc, opts: AccessorOptions = {}): DocContext {
  const locale = opts.locale ?? 'zh-CN';
  return {
    locale,
    now: opts.now ?? (() => new Date().toISOString()),
    today: opts.today ?? (() => today()),
    writable: writeGuard(doc, locale),
    stamp: () => stampIfNew(doc),
  };
}
