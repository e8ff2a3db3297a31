/**
 * The update guard on its own (no sockets): what it refuses, that it decides before anything is
 * stored, and that honest edits in any order of arrival go through.
 */
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { nestedChain, updatesOf } from './testing-frames.ts';
import { StagedDocument, type Writer, defaultUpdateLimits, maxTypeDepth } from './update-guard.ts';

const writer = (user: string, bindings = new Map<number, string>(), storedBytes = 0): Writer => ({
  user,
  bindings,
  storedBytes,
  limits: defaultUpdateLimits,
});

function guarded(initial?: (doc: Y.Doc) => void): { durable: Y.Doc; guard: StagedDocument } {
  const durable = new Y.Doc();
  initial?.(durable);
  return { durable, guard: new StagedDocument(durable) };
}

describe('nesting', () => {
  it('refuses 3,000 nested maps before storing, and their delete can never arrive', () => {
    const { nested } = nestedChain(3000);
    const { guard } = guarded();
    const verdict = guard.check(nested, writer('b'));
    expect(verdict).toMatchObject({ ok: false, kind: 'too-deep' });
  });

  it('accepts nesting up to the limit and refuses one level more, also when built over two updates', () => {
    const { guard, durable } = guarded();
    expect(guard.check(nestedChain(maxTypeDepth).nested, writer('a'))).toMatchObject({ ok: true });
    const { guard: other } = guarded();
    expect(other.check(nestedChain(maxTypeDepth + 1).nested, writer('a'))).toMatchObject({
      ok: false,
      kind: 'too-deep',
    });

    // Ten levels now, ten more under the deepest later: the second update is the one refused.
    const author = new Y.Doc();
    const first = updatesOf(author, () => {
      let current = new Y.Map<unknown>();
      author.getMap('root').set('deep', current);
      for (let i = 1; i < 10; i++) {
        const next = new Y.Map<unknown>();
        current.set('x', next);
        current = next;
      }
    });
    expect(guard.check(first, writer('a'))).toMatchObject({ ok: true });
    Y.applyUpdate(durable, first);
    guard.stored(first);
    const second = updatesOf(author, () => {
      let current = author.getMap('root').get('deep') as Y.Map<unknown>;
      while (current.get('x') instanceof Y.Map) current = current.get('x') as Y.Map<unknown>;
      for (let i = 0; i < 10; i++) {
        const next = new Y.Map<unknown>();
        current.set('y', next);
        current = next;
      }
    });
    expect(guard.check(second, writer('a'))).toMatchObject({ ok: false, kind: 'too-deep' });
  });

  it('refuses a value nested deeper than the layout ever stores', () => {
    let value: unknown = 'leaf';
    for (let i = 0; i < 100; i++) value = [value];
    const author = new Y.Doc();
    const update = updatesOf(author, () => author.getMap('records').set('r1', value));
    expect(guarded().guard.check(update, writer('a'))).toMatchObject({ ok: false, kind: 'too-deep' });
  });

  it('refuses an update that throws when applied (a legacy deep chain deleted), and the document keeps taking edits', () => {
    const { nested, deleteRoot } = nestedChain(3000);
    // Stored before the guard existed: the document holds the chain.
    const { guard, durable } = guarded((doc) => Y.applyUpdate(doc, nested));
    expect(guard.check(deleteRoot, writer('b'))).toMatchObject({ ok: false, kind: 'unprocessable' });
    const honest = new Y.Doc();
    Y.applyUpdate(honest, Y.encodeStateAsUpdate(durable));
    const edit = updatesOf(honest, () => honest.getMap('records').set('r1', '{"ok":true}'));
    expect(guard.check(edit, writer('a'))).toMatchObject({ ok: true });
  });
});

describe('pending structs and clientID claims', () => {
  it('refuses a struct far ahead of its clientID (the claim of a colleague’s ID)', () => {
    const forger = new Y.Doc();
    forger.clientID = 4242;
    // Clock 1,000,000 under A's clientID: written by a doc that "already made" a million edits.
    const gap = new Y.Doc();
    gap.clientID = 4242;
    gap.getText('t').insert(0, 'x'.repeat(1_000_000));
    const ahead = updatesOf(gap, () => gap.getMap('m').set('k', 1));
    const verdict = guarded().guard.check(ahead, writer('b'));
    expect(verdict).toMatchObject({ ok: false, kind: 'pending' });
  });

  it('refuses content whose origin the server does not have, and takes it once the origin arrived', () => {
    const author = new Y.Doc();
    const first = updatesOf(author, () => author.getArray('log').insert(0, ['one']));
    const second = updatesOf(author, () => author.getArray('log').insert(1, ['two']));
    const { guard, durable } = guarded();
    expect(guard.check(second, writer('a'))).toMatchObject({ ok: false, kind: 'pending' });
    expect(guard.check(first, writer('a'))).toMatchObject({ ok: true });
    Y.applyUpdate(durable, first);
    guard.stored(first);
    expect(guard.check(second, writer('a'))).toMatchObject({ ok: true });
  });

  it('refuses a deletion of content that does not exist yet', () => {
    const encoder = encoding.createEncoder();
    for (const n of [0, 1, 555, 1, 1_000_000, 1]) encoding.writeVarUint(encoder, n);
    expect(guarded().guard.check(encoding.toUint8Array(encoder), writer('b'))).toMatchObject({
      ok: false,
      kind: 'pending',
    });
  });

  it('refuses new content under a clientID bound to someone else, but not a resend of what is already there', () => {
    const alice = new Y.Doc();
    const edit = updatesOf(alice, () => alice.getMap('m').set('k', 1));
    const bindings = new Map([[alice.clientID, 'alice']]);
    const { guard, durable } = guarded();
    expect(guard.check(edit, writer('alice', bindings))).toMatchObject({ ok: true, newBindings: [] });
    Y.applyUpdate(durable, edit);
    guard.stored(edit);
    const more = updatesOf(alice, () => alice.getMap('m').set('k2', 2));
    expect(guard.check(more, writer('bob', bindings))).toMatchObject({ ok: false, kind: 'client-id' });
    // Bob relays the whole document (what a stock client's step 2 may do): nothing new under alice's ID.
    expect(guard.check(Y.encodeStateAsUpdate(durable), writer('bob', bindings))).toMatchObject({ ok: true });
  });
});

describe('size', () => {
  it('refuses more clientIDs than allowed in one update', () => {
    const merged = Y.mergeUpdates(
      Array.from({ length: 300 }, (_, i) => {
        const doc = new Y.Doc();
        doc.clientID = 10_000 + i;
        return updatesOf(doc, () => doc.getMap('m').set(`k${i}`, i));
      }),
    );
    expect(guarded().guard.check(merged, writer('a'))).toMatchObject({ ok: false, kind: 'too-many-clients' });
  });

  it('refuses an update that would make the document larger than allowed', () => {
    const author = new Y.Doc();
    const update = updatesOf(author, () => author.getText('t').insert(0, 'x'.repeat(1000)));
    const full: Writer = { ...writer('a'), storedBytes: defaultUpdateLimits.maxDocumentBytes - 500 };
    expect(guarded().guard.check(update, full)).toMatchObject({ ok: false, kind: 'too-large' });
  });
});
