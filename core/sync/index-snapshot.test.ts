import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { inIndexOrder } from './index-snapshot.ts';
import { workspacesForThisFile } from './test/workspaces.ts';

/**
 * The whole index kept beside the workspace document (index-snapshot.ts): what a restarted
 * background shows before it has reopened every unit, and what it must never show.
 */

const { open, adminToken, workspace, seed } = workspacesForThisFile();

const forget = (ws: { close(): Promise<void> }) => open.splice(open.indexOf(ws as never), 1);

describe('the index kept for the next start', () => {
  it('is there as soon as the workspace document has loaded, before any unit is opened', async () => {
    const token = adminToken('wen');
    const first = await workspace(token, { persistence: 'indexeddb', indexSnapshot: true });
    for (const code of ['S31', 'S32']) await seed(first, code);
    await first.openUnits();
    const live = inIndexOrder(first.index.all());
    await first.close();
    forget(first);

    const again = await workspace(token, {
      persistence: 'indexeddb',
      indexSnapshot: true,
      connect: false,
      remembered: 'none',
    });
    expect(again.docs().map((d) => d.name)).toEqual(['workspace']);
    const kept = await again.indexSnapshot();
    expect(kept).toEqual(live);
    expect(kept?.find((e) => e.id === 'S31-c1')).toMatchObject({ dots: { black: 1 } });
    await again.close();
    forget(again);

    // Not in another language (the grade reasons are sentences), and not without the local cache.
    const english = await workspace(token, {
      persistence: 'indexeddb',
      indexSnapshot: true,
      connect: false,
      locale: 'en',
    });
    expect(await english.indexSnapshot()).toBeUndefined();
    await english.close();
    forget(english);
    const memory = await workspace(token, { connect: false, indexSnapshot: true });
    expect(await memory.indexSnapshot()).toBeUndefined();
  });

  it('is kept and read only by the workspace that asks for it (the background), not by every view', async () => {
    const token = adminToken('yan');
    // Nothing on this device to begin with (the test before kept one).
    const earlier = await workspace(token, { persistence: 'indexeddb', connect: false });
    await earlier.wipe();
    forget(earlier);
    const view = await workspace(token, { persistence: 'indexeddb' });
    await seed(view, 'S35');
    await view.openUnits();
    expect(await view.indexSnapshot()).toBeUndefined();
    await view.close();
    forget(view);
    const background = await workspace(token, { persistence: 'indexeddb', indexSnapshot: true, connect: false });
    expect(await background.indexSnapshot()).toBeUndefined();
  });

  it('never shows a unit the grants in force no longer reach, and goes with a wipe', async () => {
    const token = adminToken('xia');
    const first = await workspace(token, { persistence: 'indexeddb', indexSnapshot: true });
    for (const code of ['S33', 'S34']) await seed(first, code);
    await first.openUnits();
    await first.close();
    forget(first);

    const narrowed = await workspace(token, {
      persistence: 'indexeddb',
      indexSnapshot: true,
      connect: false,
      grants: [
        { role: 'viewer', doc: 'workspace' },
        { role: 'viewer', doc: 'unit:S34' },
      ],
    });
    const kept = (await narrowed.indexSnapshot()) ?? [];
    expect(kept.map((e) => e.unitCode)).toContain('S34');
    expect(kept.some((e) => e.unitCode === 'S33')).toBe(false);
    await narrowed.wipe();
    forget(narrowed);

    const afterWipe = await workspace(token, { persistence: 'indexeddb', indexSnapshot: true, connect: false });
    expect(await afterWipe.indexSnapshot()).toBeUndefined();
  });
});
