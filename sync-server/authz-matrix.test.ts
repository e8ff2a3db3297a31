/**
 * The authorisation matrix. The table below IS the test: every row is a token (its state, the
 * role its grant gives, and the document family the grant and the attempt are about), every
 * column an operation, every cell what must happen. Each cell is tried for real against one
 * server, over HTTP and twice over WebSockets: a socket of the document's own (stock clients) and
 * the document opened on a multiplexed socket (the extension), where a refused document is closed
 * alone with 4403 (written 403 here, like the other socket's HTTP 403).
 *
 * Families and the grant each row's token holds: `workspace`, `unit:A01`, `notes:A01` and
 * `register` are granted by name (the row's role on that document). `queries` and `user:<sub>` are
 * derived (core/sync/access.ts): the row's role on `workspace` gives `queries` viewer (a
 * viewer) or annotator (anyone who may write something), and `user:<own sub>` is its owner's
 * (editor), whatever the grants.
 *
 * Operations, each on the row's document:
 *   read      open it (WebSocket upgrade) and receive its content; GET /history
 *   write     an edit (a Y.Map entry) is stored
 *   annotate  an annotation written with core/doc's notes accessor is stored
 *   presence  a presence state reaches another connection of the document
 *   admin     POST /admin/import of an update into it (what `cli import` sends a running server)
 * Cells: ✓ done; ✗ refused in-band (permission denied, nothing stored; the connection stays);
 * 401 / 403 the HTTP status that refuses the upgrade or the request.
 * Token states: valid; expired; revoked (`revoke --user` after minting); forged (signed with
 * another secret); wrong-document (a valid grant of the role, on unit B02 / notes B02; on the
 * units only for the workspace and queries rows; on the workspace for the register; on `*` for
 * someone else's `user:` document).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notes } from '../core/doc/notes-doc.ts';
import type { Grant, Role } from './access.ts';
import { importDocument, revoke } from './admin.ts';
import { encodeSyncStep1, syncStep2 } from './protocol.ts';
import { type RawClient, rawClient, storedDoc, waitFor } from './testing.ts';
import { awarenessFrame, presentIds, syncPayloads, updatesOf } from './testing-frames.ts';
import { connect, sendWrite } from './testing-channel.ts';
import { useFileServer } from './testing-fixture.ts';
import { loadOrCreateSecret, mintToken } from './token.ts';

const matrix = `
state           role       family     read  write  annotate  presence  admin
valid           viewer     workspace  ✓     ✗      ✗         ✓         403
valid           viewer     unit       ✓     ✗      ✗         ✓         403
valid           viewer     notes      ✓     ✗      ✗         ✓         403
valid           viewer     register   ✓     ✗      ✗         ✓         403
valid           viewer     queries    ✓     ✗      ✗         ✓         403
valid           viewer     user       ✓     ✓      ✓         ✓         403
valid           annotator  workspace  ✓     ✗      ✗         ✓         403
valid           annotator  unit       ✓     ✗      ✗         ✓         403
valid           annotator  notes      ✓     ✓      ✓         ✓         403
valid           annotator  register   ✓     ✗      ✗         ✓         403
valid           annotator  queries    ✓     ✓      ✓         ✓         403
valid           annotator  user       ✓     ✓      ✓         ✓         403
valid           editor     workspace  ✓     ✗      ✗         ✓         403
valid           editor     unit       ✓     ✓      ✓         ✓         403
valid           editor     notes      ✓     ✓      ✓         ✓         403
valid           editor     register   ✓     ✓      ✓         ✓         403
valid           editor     queries    ✓     ✓      ✓         ✓         403
valid           editor     user       ✓     ✓      ✓         ✓         403
valid           admin      workspace  ✓     ✓      ✓         ✓         ✓
valid           admin      unit       ✓     ✓      ✓         ✓         ✓
valid           admin      notes      ✓     ✓      ✓         ✓         ✓
valid           admin      register   ✓     ✓      ✓         ✓         ✓
valid           admin      queries    ✓     ✓      ✓         ✓         403
valid           admin      user       ✓     ✓      ✓         ✓         403
expired         viewer     workspace  401   401    401       401       401
expired         viewer     unit       401   401    401       401       401
expired         viewer     notes      401   401    401       401       401
expired         viewer     register   401   401    401       401       401
expired         viewer     queries    401   401    401       401       401
expired         viewer     user       401   401    401       401       401
expired         annotator  workspace  401   401    401       401       401
expired         annotator  unit       401   401    401       401       401
expired         annotator  notes      401   401    401       401       401
expired         annotator  register   401   401    401       401       401
expired         annotator  queries    401   401    401       401       401
expired         annotator  user       401   401    401       401       401
expired         editor     workspace  401   401    401       401       401
expired         editor     unit       401   401    401       401       401
expired         editor     notes      401   401    401       401       401
expired         editor     register   401   401    401       401       401
expired         editor     queries    401   401    401       401       401
expired         editor     user       401   401    401       401       401
expired         admin      workspace  401   401    401       401       401
expired         admin      unit       401   401    401       401       401
expired         admin      notes      401   401    401       401       401
expired         admin      register   401   401    401       401       401
expired         admin      queries    401   401    401       401       401
expired         admin      user       401   401    401       401       401
revoked         viewer     workspace  401   401    401       401       401
revoked         viewer     unit       401   401    401       401       401
revoked         viewer     notes      401   401    401       401       401
revoked         viewer     register   401   401    401       401       401
revoked         viewer     queries    401   401    401       401       401
revoked         viewer     user       401   401    401       401       401
revoked         annotator  workspace  401   401    401       401       401
revoked         annotator  unit       401   401    401       401       401
revoked         annotator  notes      401   401    401       401       401
revoked         annotator  register   401   401    401       401       401
revoked         annotator  queries    401   401    401       401       401
revoked         annotator  user       401   401    401       401       401
revoked         editor     workspace  401   401    401       401       401
revoked         editor     unit       401   401    401       401       401
revoked         editor     notes      401   401    401       401       401
revoked         editor     register   401   401    401       401       401
revoked         editor     queries    401   401    401       401       401
revoked         editor     user       401   401    401       401       401
revoked         admin      workspace  401   401    401       401       401
revoked         admin      unit       401   401    401       401       401
revoked         admin      notes      401   401    401       401       401
revoked         admin      register   401   401    401       401       401
revoked         admin      queries    401   401    401       401       401
revoked         admin      user       401   401    401       401       401
forged          viewer     workspace  401   401    401       401       401
forged          viewer     unit       401   401    401       401       401
forged          viewer     notes      401   401    401       401       401
forged          viewer     register   401   401    401       401       401
forged          viewer     queries    401   401    401       401       401
forged          viewer     user       401   401    401       401       401
forged          annotator  workspace  401   401    401       401       401
forged          annotator  unit       401   401    401       401       401
forged          annotator  notes      401   401    401       401       401
forged          annotator  register   401   401    401       401       401
forged          annotator  queries    401   401    401       401       401
forged          annotator  user       401   401    401       401       401
forged          editor     workspace  401   401    401       401       401
forged          editor     unit       401   401    401       401       401
forged          editor     notes      401   401    401       401       401
forged          editor     register   401   401    401       401       401
forged          editor     queries    401   401    401       401       401
forged          editor     user       401   401    401       401       401
forged          admin      workspace  401   401    401       401       401
forged          admin      unit       401   401    401       401       401
forged          admin      notes      401   401    401       401       401
forged          admin      register   401   401    401       401       401
forged          admin      queries    401   401    401       401       401
forged          admin      user       401   401    401       401       401
wrong-document  viewer     workspace  403   403    403       403       403
wrong-document  viewer     unit       403   403    403       403       403
wrong-document  viewer     notes      403   403    403       403       403
wrong-document  viewer     register   403   403    403       403       403
wrong-document  viewer     queries    403   403    403       403       403
wrong-document  viewer     user       403   403    403       403       403
wrong-document  annotator  workspace  403   403    403       403       403
wrong-document  annotator  unit       403   403    403       403       403
wrong-document  annotator  notes      403   403    403       403       403
wrong-document  annotator  register   403   403    403       403       403
wrong-document  annotator  queries    403   403    403       403       403
wrong-document  annotator  user       403   403    403       403       403
wrong-document  editor     workspace  403   403    403       403       403
wrong-document  editor     unit       403   403    403       403       403
wrong-document  editor     notes      403   403    403       403       403
wrong-document  editor     register   403   403    403       403       403
wrong-document  editor     queries    403   403    403       403       403
wrong-document  editor     user       403   403    403       403       403
wrong-document  admin      workspace  403   403    403       403       403
wrong-document  admin      unit       403   403    403       403       403
wrong-document  admin      notes      403   403    403       403       403
wrong-document  admin      register   403   403    403       403       403
wrong-document  admin      queries    403   403    403       403       403
wrong-document  admin      user       403   403    403       403       403
`;

type State = 'valid' | 'expired' | 'revoked' | 'forged' | 'wrong-document';
type Family = 'workspace' | 'unit' | 'notes' | 'register' | 'queries' | 'user';
const operations = ['read', 'write', 'annotate', 'presence', 'admin'] as const;
type Operation = (typeof operations)[number];
type Row = { state: State; role: Role; family: Family; cells: Record<Operation, string> };
const transports = ['socket', 'multiplexed'] as const;
type Transport = (typeof transports)[number];

const rows: Row[] = matrix
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [state, role, family, ...cells] = line.trim().split(/\s+/u);
    return {
      state: state as State,
      role: role as Role,
      family: family as Family,
      cells: Object.fromEntries(operations.map((op, i) => [op, cells[i]!])) as Record<Operation, string>,
    };
  });

/** The documents granted by name: the row's grant and its attempts are about these. */
const namedDocOf: Record<Exclude<Family, 'queries' | 'user'>, string> = {
  workspace: 'workspace',
  unit: 'unit:A01',
  notes: 'notes:A01',
  register: 'register',
};
const otherDocOf: Record<Exclude<Family, 'user'>, string> = {
  workspace: 'unit:*',
  unit: 'unit:B02',
  notes: 'notes:B02',
  register: 'workspace',
  queries: 'unit:*',
};

const { server } = useFileServer();
let http: string;
let watchers: Map<string, RawClient>;
let counter = 0;

function seedUpdate(): Uint8Array {
  const seed = new Y.Doc();
  seed.getMap('seed').set('present', true);
  return Y.encodeStateAsUpdate(seed);
}

beforeAll(async () => {
  http = server.url.replace('ws:', 'http:');
  // Content to read, and a watcher per document for presence (user documents: see `attempt`).
  watchers = new Map();
  for (const doc of [...Object.values(namedDocOf), 'queries']) {
    await importDocument(server.dataDir, doc, seedUpdate(), 'cli:seed');
    const watcher = await rawClient(server.url, doc, server.token('watcher', [{ role: 'viewer', doc: '*' }]));
    watcher.ws.send(encodeSyncStep1(new Uint8Array([0])));
    watchers.set(doc, watcher);
  }
});

afterAll(() => {
  for (const watcher of watchers.values()) watcher.ws.close();
});

/**
 * A token in the row's state, for a user of its own (so revoking one revokes nothing else), and
 * the document it is tried on.
 */
async function tokenFor(row: Row): Promise<{ token: string; doc: string; user: string }> {
  const user = `${row.state}-${row.role}-${row.family}-${counter++}`;
  const granted = row.family === 'queries' || row.family === 'user' ? 'workspace' : namedDocOf[row.family];
  const doc =
    row.family === 'user'
      ? row.state === 'wrong-document'
        ? `user:someone-else-${counter}`
        : `user:${user}`
      : row.family === 'queries'
        ? 'queries'
        : namedDocOf[row.family];
  const wrong = row.family === 'user' ? '*' : otherDocOf[row.family];
  const grants: Grant[] = [{ role: row.role, doc: row.state === 'wrong-document' ? wrong : granted }];
  const secret = row.state === 'forged' ? randomBytes(32) : loadOrCreateSecret(server.dataDir);
  const now = row.state === 'expired' ? Date.now() - 2 * 3600_000 : Date.now();
  const { token } = mintToken(secret, { user, grants, ttlSeconds: 3600, now });
  if (row.state === 'revoked') await revoke(server.dataDir, { user });
  return { token, doc, user };
}

/** A user document's content, written by its owner (nobody else may, not even the CLI's admin). */
async function seedUserDoc(doc: string): Promise<void> {
  const owner = doc.slice('user:'.length);
  const { token } = mintToken(loadOrCreateSecret(server.dataDir), {
    user: owner,
    grants: [{ role: 'viewer', doc: 'workspace' }],
    ttlSeconds: 600,
  });
  const channel = await connect(server.url, 'socket', doc, token);
  if (typeof channel === 'string') throw new Error(`seeding ${doc}: HTTP ${channel}`);
  const author = new Y.Doc();
  const written = await sendWrite(
    channel,
    author,
    updatesOf(author, () => author.getMap('seed').set('present', true)),
  );
  channel.close();
  if (written !== '✓') throw new Error(`seeding ${doc} was refused`);
}

async function attempt(row: Row, transport: Transport): Promise<Record<Operation, string>> {
  const { token, doc } = await tokenFor(row);
  // Content to read where the row may get that far.
  if (row.family === 'user' && (row.state === 'valid' || row.state === 'wrong-document')) await seedUserDoc(doc);
  const outcome = {} as Record<Operation, string>;
  const history = await fetch(`${http}/history?doc=${encodeURIComponent(doc)}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const admin = await fetch(`${http}/admin/import?doc=${encodeURIComponent(doc)}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    body: new Blob([new Uint8Array(updatesOf(new Y.Doc(), () => undefined))]),
  });
  outcome.admin = admin.status === 200 ? '✓' : String(admin.status);
  const channel = await connect(server.url, transport, doc, token);
  if (typeof channel === 'string') {
    for (const op of ['read', 'write', 'annotate', 'presence'] as const) outcome[op] = channel;
    return outcome;
  }
  // A user document's only reader is its owner: the row's token watches from a second socket.
  const ownWatcher =
    row.family === 'user' && row.state === 'valid' ? await rawClient(server.url, doc, token) : undefined;
  try {
    channel.send(encodeSyncStep1(new Uint8Array([0])));
    await waitFor(
      () => syncPayloads(channel.frames(), syncStep2).length > 0 || channel.closedWith() !== undefined,
      'the document’s content',
      15_000,
    );
    if (channel.closedWith() === 4403) {
      for (const op of ['read', 'write', 'annotate', 'presence'] as const) outcome[op] = '403';
      return outcome;
    }
    const received = new Y.Doc();
    Y.applyUpdate(received, syncPayloads(channel.frames(), syncStep2)[0]!);
    outcome.read =
      received.getMap('seed').get('present') === true && history.status === 200 ? '✓' : `✗ (history ${history.status})`;

    const writer = new Y.Doc();
    outcome.write = await sendWrite(
      channel,
      writer,
      updatesOf(writer, () => writer.getMap('m').set(`k${counter}`, row.role)),
    );
    const annotator = new Y.Doc();
    const annotation = updatesOf(annotator, () => {
      const result = notes(annotator).add({
        id: `a${counter}`,
        subject: { type: 'cadre', id: 'c1' },
        anchor: { kind: 'dossier' },
        text: '批注',
        author: row.role,
        at: new Date().toISOString(),
      });
      if (!result.ok) throw new Error('the annotation itself is invalid');
    });
    outcome.annotate = await sendWrite(channel, annotator, annotation);
    if (outcome.write === '✓')
      expect((await storedDoc(server.dataDir, doc)).getMap('m').get(`k${counter}`)).toBe(row.role);

    const presenceId = 900_000 + counter;
    channel.send(awarenessFrame([{ id: presenceId, clock: 1, state: JSON.stringify({ user: { name: row.role } }) }]));
    const watcher = ownWatcher ?? watchers.get(doc)!;
    await waitFor(() => presentIds(watcher.frames).includes(presenceId), 'the presence at another connection', 15_000);
    outcome.presence = '✓';
  } finally {
    channel.close();
    ownWatcher?.ws.close();
  }
  return outcome;
}

describe('authorisation matrix', () => {
  it('has every role × family × token state once', () => {
    expect(rows.length).toBe(5 * 4 * 6);
    expect(new Set(rows.map((r) => `${r.state} ${r.role} ${r.family}`)).size).toBe(rows.length);
  });

  it.each(
    rows.flatMap((row) =>
      transports.map(
        (transport) => [`${row.state} ${row.role} on ${row.family}, ${transport}`, row, transport] as const,
      ),
    ),
  )('%s', async (_name, row, transport) => {
    expect(await attempt(row, transport)).toEqual(row.cells);
  });
});
