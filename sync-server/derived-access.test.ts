/**
 * The two documents whose access is derived (core/sync/access.ts), enforced by a real
 * server on loopback: a user's own `user:<sub>` document, and the shared `queries` document.
 */
import { describe, expect, it } from 'vitest';
import { derivedRole } from '../core/sync/access.ts';
import { canWrite, effectiveRole, isDocName } from './access.ts';
import { synced, upgradeStatus, waitFor } from './testing.ts';
import { useFileServer } from './testing-fixture.ts';
import type { Grant } from './access.ts';

describe('the rule', () => {
  const editor: Grant[] = [
    { role: 'viewer', doc: 'workspace' },
    { role: 'editor', doc: 'unit:*' },
  ];
  const viewer: Grant[] = [
    { role: 'viewer', doc: 'workspace' },
    { role: 'viewer', doc: 'unit:*' },
  ];
  const admin: Grant[] = [{ role: 'admin', doc: '*' }];

  it('a user document belongs to its user alone, whatever the grants', () => {
    expect(effectiveRole(editor, 'user:alice', 'alice')).toBe('editor');
    expect(canWrite(effectiveRole(editor, 'user:alice', 'alice'), 'user:alice')).toBe(true);
    expect(effectiveRole(admin, 'user:alice', 'bob')).toBeNull();
    expect(effectiveRole(admin, 'user:alice')).toBeNull();
    expect(effectiveRole([], 'user:alice', 'alice')).toBe('editor');
  });

  it('queries: read with the workspace, written by anyone who writes something', () => {
    expect(effectiveRole(viewer, 'queries', 'v')).toBe('viewer');
    expect(canWrite(effectiveRole(viewer, 'queries', 'v'), 'queries')).toBe(false);
    expect(canWrite(effectiveRole(editor, 'queries', 'e'), 'queries')).toBe(true);
    expect(
      canWrite(
        effectiveRole(
          [
            { role: 'viewer', doc: 'workspace' },
            { role: 'annotator', doc: 'notes:*' },
          ],
          'queries',
          'a',
        ),
        'queries',
      ),
    ).toBe(true);
    expect(effectiveRole(admin, 'queries', 'root')).toBe('admin');
    // No grant on the workspace: no queries either, unless named.
    expect(effectiveRole([{ role: 'editor', doc: 'unit:A01' }], 'queries', 'x')).toBeNull();
    expect(effectiveRole([{ role: 'viewer', doc: 'queries' }], 'queries', 'x')).toBe('viewer');
  });

  it('other documents are left to the grants', () => {
    expect(derivedRole(editor, 'unit:A01', 'alice')).toBeUndefined();
    expect(derivedRole(editor, 'workspace', 'alice')).toBeUndefined();
  });

  it.each(['queries', 'user:alice', 'user:demo-officer'])('%s is a document name', (n) =>
    expect(isDocName(n)).toBe(true),
  );
  it.each(['user:', 'queries:x', 'user:a b', 'user:*'])('%j is not', (n) => expect(isDocName(n)).toBe(false));
});

describe('enforced on connection', () => {
  const { server, stock: client } = useFileServer();

  it("nobody but the owner opens a user's document, not even an admin of everything", async () => {
    const alice = server.token('alice', [
      { role: 'viewer', doc: 'workspace' },
      { role: 'editor', doc: 'unit:*' },
    ]);
    const root = server.token('root', ['admin', '*']);
    expect(await upgradeStatus(server.url, 'user:alice', alice)).toBe(101);
    expect(await upgradeStatus(server.url, 'user:alice', root)).toBe(403);
    expect(await upgradeStatus(server.url, 'user:root', alice)).toBe(403);

    // Two devices of alice share the document.
    const a1 = client('user:alice', alice);
    const a2 = client('user:alice', alice);
    await Promise.all([synced(a1), synced(a2)]);
    a1.doc.getMap('alerts').set('k', 'v');
    await waitFor(() => a2.doc.getMap('alerts').get('k') === 'v', 'the second device to see the first one’s write');
  });

  it("a viewer reads the shared queries but cannot write them; an editor's query reaches the viewer", async () => {
    const viewer = server.token('wang', [
      { role: 'viewer', doc: 'workspace' },
      { role: 'viewer', doc: 'unit:*' },
    ]);
    const editor = server.token('li', [
      { role: 'viewer', doc: 'workspace' },
      { role: 'editor', doc: 'unit:*' },
    ]);
    const v = client('queries', viewer);
    const e = client('queries', editor);
    await Promise.all([synced(v), synced(e)]);
    e.doc.getMap('queries').set('q1', '{"id":"q1"}');
    await waitFor(() => v.doc.getMap('queries').get('q1') !== undefined, 'the viewer to receive the query');
    v.doc.getMap('queries').set('q2', '{"id":"q2"}');
    // A third client sees what the server kept: the editor's query, never the viewer's.
    const check = client('queries', editor);
    await synced(check);
    expect([...check.doc.getMap('queries').keys()]).toEqual(['q1']);
  });
});
