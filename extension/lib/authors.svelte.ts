import type { Author } from '../../core/doc/writers.ts';
import type { Authors } from '../../core/sync/authors.ts';
import { t } from './i18n.ts';
import { sourceTracker } from './reactive-doc.svelte.ts';

/**
 * The author a view shows for something written with `clientId` (core/doc/writers.ts): the user
 * the server bound that clientID to (core/sync/authors.ts, one tracker per synced document).
 * Never the `by`/`author` a client wrote into the value: an editor could write a colleague's name
 * there. Reactive: a view re-renders when the server's answer arrives.
 */
const trackers = new WeakMap<Authors, () => void>();

function track(authors: Authors | undefined): void {
  if (!authors) return;
  let tracker = trackers.get(authors);
  if (!tracker) {
    tracker = sourceTracker((notify) => authors.onChange(notify));
    trackers.set(authors, tracker);
  }
  tracker();
}

/** The author's name, or "author not yet verified". */
export function authorName(authors: Authors | undefined, clientId: number | undefined): string {
  track(authors);
  return authors?.get(clientId)?.name ?? t('authorUnverified');
}

/** The author with how sure it is (server, this device's write not yet listed, unknown): for work/AuthorName.svelte. */
export function authorOf(authors: Authors | undefined, clientId: number | undefined): Author {
  track(authors);
  return authors?.author(clientId) ?? { status: 'unknown' };
}
