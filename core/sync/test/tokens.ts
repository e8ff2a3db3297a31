import type { Grant } from '../access.ts';

/**
 * Test support for the token format (core/sync/token.ts) and those who read it unverified
 * (whoami.ts, the extension's identity): one set of grants to carry, and strings that are not tokens.
 */

/** An editor of every unit who may read the directory. */
export const editorGrants: Grant[] = [
  { role: 'editor', doc: 'unit:*' },
  { role: 'viewer', doc: 'workspace' },
];

/** Not a token: empty, no payload, a payload that is not base64url JSON, another version, the wrong shape. */
export const notTokens: readonly string[] = [
  '',
  'dl1',
  'dl1.a',
  'dl2.e30.x',
  'dl1.!!!.x',
  'a.b.c',
  `dl1.${Buffer.from('{"sub":1}').toString('base64url')}.x`,
];
