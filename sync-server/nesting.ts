/**
 * How deep an update would nest things, found before it is applied (update-guard.ts refuses past
 * the limits). The document layout stores flat JSON text under root types (core/README.md), while
 * Yjs deletes and garbage-collects nested Y types recursively: a chain of thousands of nested maps,
 * once stored, overflowed the stack on every later load. Values (ContentAny) are decoded
 * recursively too. Everything here walks without recursion: the chains come from hostile input.
 */
import * as Y from 'yjs';

/** Y types inside Y types. The layout uses none below the root types; room for readers' object form. */
export const maxTypeDepth = 16;
/** Arrays and objects inside one stored value (the layout stores flat JSON text). */
export const maxValueDepth = 32;

type Struct = Y.Item | Y.GC | Y.Skip;

/** A value (ContentAny and friends) nested deeper than `maxValueDepth`, described; else null. */
export function deepValue(structs: readonly Struct[]): string | null {
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const content = struct.content as { arr?: unknown[]; embed?: unknown; value?: unknown };
    const values =
      content instanceof Y.ContentAny || content instanceof Y.ContentJSON
        ? (content.arr ?? [])
        : content instanceof Y.ContentEmbed
          ? [content.embed]
          : content instanceof Y.ContentFormat
            ? [content.value]
            : [];
    for (const value of values) {
      if (valueDepth(value, maxValueDepth) > maxValueDepth) return `a value nested deeper than ${maxValueDepth} levels`;
    }
  }
  return null;
}

/** Nesting depth of plain arrays and objects, counted without recursion, stopping past `limit`. */
function valueDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null || current instanceof Uint8Array) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(current) ? current : Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** The update's items, found by any ID they cover (an item of length n covers n clocks). */
function itemsByClock(structs: readonly Struct[]): { get(id: Y.ID): Y.Item | undefined } {
  const byClient = new Map<number, Y.Item[]>();
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const list = byClient.get(struct.id.client) ?? [];
    list.push(struct);
    byClient.set(struct.id.client, list);
  }
  for (const list of byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock);
  return {
    get({ client, clock }: Y.ID) {
      const list = byClient.get(client);
      if (list === undefined) return undefined;
      let low = 0;
      let high = list.length - 1;
      while (low <= high) {
        const middle = (low + high) >> 1;
        const item = list[middle]!;
        if (clock < item.id.clock) high = middle - 1;
        else if (clock >= item.id.clock + item.length) low = middle + 1;
        else return item;
      }
      return undefined;
    },
  };
}

/**
 * A Y type that the update would create deeper than `maxTypeDepth`, described; else null. An
 * item's parent is named in the update (a root name or the ID of the item holding the parent
 * type), or left out when it can be copied from its origin or right origin. Resolved without
 * recursion: the chain may be thousands long.
 */
export function deepType(structs: readonly Struct[], store: Y.Doc['store']): string | null {
  const inUpdate = itemsByClock(structs);
  /** Depth of the type that holds an item's content (0: a root type); null when unknown here. */
  const depthMemo = new Map<Y.Item, number | null>();
  const parentDepthOf = (start: Y.Item): number | null => {
    // Walk holders (+1) and siblings (+0) until something known; `steps` counts the +1s so far.
    const path: [Y.Item, number][] = [];
    const onPath = new Set<Y.Item>();
    let current = start;
    let steps = 0;
    let known: number | null = null;
    for (;;) {
      const memo = depthMemo.get(current);
      if (memo !== undefined) {
        known = memo;
        break;
      }
      if (onPath.has(current)) break; // references that go round in circles: unknown
      path.push([current, steps]);
      onPath.add(current);
      const parent = current.parent as unknown;
      if (typeof parent === 'string' || parent instanceof Y.AbstractType) {
        known = 0;
        break;
      }
      if (parent instanceof Y.ID) {
        const holder = inUpdate.get(parent);
        if (holder === undefined) {
          const held = storedTypeDepth(store, parent);
          known = held;
          break;
        }
        current = holder;
        steps++;
        continue;
      }
      const sibling = current.origin ?? current.rightOrigin;
      const next = sibling === null ? undefined : inUpdate.get(sibling);
      if (next === undefined) {
        known = sibling === null ? null : storedParentDepth(store, sibling);
        break;
      }
      current = next;
    }
    for (const [item, at] of path) depthMemo.set(item, known === null ? null : known + (steps - at));
    return depthMemo.get(start) ?? (known === null ? null : known + steps);
  };
  for (const struct of structs) {
    if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentType)) continue;
    const parentDepth = parentDepthOf(struct);
    if (parentDepth !== null && parentDepth + 1 > maxTypeDepth)
      return `Y types nested deeper than ${maxTypeDepth} levels`;
  }
  return null;
}

/** Depth of the type held by the stored item `id` (1 for a type directly in a root type). */
function storedTypeDepth(store: Y.Doc['store'], id: Y.ID): number | null {
  const item = storedItem(store, id);
  if (item === null) return null;
  const parentDepth = typeDepth(item.parent as Y.AbstractType<unknown> | null);
  return parentDepth === null ? null : parentDepth + 1;
}

/** Depth of the type that holds the stored item `id`. */
function storedParentDepth(store: Y.Doc['store'], id: Y.ID): number | null {
  const item = storedItem(store, id);
  return item === null ? null : typeDepth(item.parent as Y.AbstractType<unknown> | null);
}

function typeDepth(type: Y.AbstractType<unknown> | null): number | null {
  let depth = 0;
  let current = type;
  while (current !== null && current._item !== null) {
    depth++;
    current = current._item.parent as Y.AbstractType<unknown> | null;
  }
  return current === null ? null : depth;
}

function storedItem(store: Y.Doc['store'], id: Y.ID): Y.Item | null {
  const structs = store.clients.get(id.client);
  if (structs === undefined || structs.length === 0) return null;
  const last = structs[structs.length - 1]!;
  if (id.clock >= last.id.clock + last.length) return null;
  const struct = structs[Y.findIndexSS(structs, id.clock)];
  return struct instanceof Y.Item ? struct : null;
}
