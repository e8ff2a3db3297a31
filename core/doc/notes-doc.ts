import type * as Y from 'yjs';
import { annotationSchema, type Annotation, type Subject } from '../model/schemas.ts';
import { collection, type Collection } from './collection.ts';
import { docContext, type AccessorOptions } from './context.ts';
import { refusal, type Entry, type WriteResult } from './entry.ts';
import { META } from './migrations.ts';

/**
 * Annotation threads on one unit's dossiers: the `notes:<code>` document, apart from the official
 * records so annotators can write here without any right over the dossiers themselves.
 * Annotations are append-mostly: each is its own entry, so concurrent comments never collide.
 */

export const NOTES_COLLECTIONS = {
  annotations: { name: 'annotations', schema: annotationSchema, idField: 'id' },
} as const;

export interface Thread {
  root: Annotation;
  replies: Annotation[];
}

export interface Notes {
  readonly doc: Y.Doc;
  annotations: Collection<Annotation>;
  add(annotation: Annotation): WriteResult;
  /** A reply inherits the subject and anchor of the annotation it answers. */
  reply(parentId: string, reply: Pick<Annotation, 'id' | 'text' | 'author' | 'at'>): WriteResult;
  resolve(id: string, by: string, at?: string): WriteResult;
  /** Threads about one subject, oldest first; invalid entries about it come separately. */
  threadsOf(subject: Subject): { threads: Thread[]; invalid: Extract<Entry<Annotation>, { ok: false }>[] };
}

const byTime = (a: Annotation, b: Annotation) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id.localeCompare(b.id));

export function notes(doc: Y.Doc, opts: AccessorOptions = {}): Notes {
  const ctx = docContext(doc, opts);
  const annotations = collection<Annotation>(doc, NOTES_COLLECTIONS.annotations, ctx);
  const asWrite = (r: ReturnType<typeof annotations.put>): WriteResult =>
    r.ok ? { ok: true, changed: r.outcome !== 'unchanged' } : r;
  return {
    doc,
    annotations,
    add: (a) => asWrite(annotations.put(a)),
    reply(parentId, reply) {
      const parent = annotations.get(parentId);
      if (!parent?.ok) {
        return refusal('replyTo', 'entity.notFound', ctx.locale);
      }
      // Replies attach to the thread's root so threads stay one level deep, as in the side panel.
      const rootId = parent.value.replyTo ?? parent.value.id;
      return asWrite(
        annotations.put({ ...reply, subject: parent.value.subject, anchor: parent.value.anchor, replyTo: rootId }),
      );
    },
    resolve: (id, by, at) => annotations.edit(id, 'resolved', true, by, at),
    threadsOf(subject) {
      const mine: Annotation[] = [];
      const invalid: Extract<Entry<Annotation>, { ok: false }>[] = [];
      for (const e of annotations.list()) {
        if (e.ok) {
          if (e.value.subject.type === subject.type && e.value.subject.id === subject.id) mine.push(e.value);
        } else {
          const s = (e.raw as { subject?: Subject } | null)?.subject;
          if (s?.type === subject.type && s?.id === subject.id) invalid.push(e);
        }
      }
      mine.sort(byTime);
      const threads = new Map<string, Thread>();
      for (const a of mine) if (!a.replyTo) threads.set(a.id, { root: a, replies: [] });
      for (const a of mine) {
        if (!a.replyTo) continue;
        const t = threads.get(a.replyTo);
        // A reply whose root is missing or invalid is still shown, as a thread of its own.
        if (t) t.replies.push(a);
        else threads.set(a.id, { root: a, replies: [] });
      }
      return { threads: [...threads.values()].sort((x, y) => byTime(x.root, y.root)), invalid };
    },
  };
}

export function initNotesDoc(doc: Y.Doc, unitCode: string): void {
  const meta = doc.getMap<unknown>(META);
  if (meta.get('unitCode') !== unitCode) meta.set('unitCode', unitCode);
}
