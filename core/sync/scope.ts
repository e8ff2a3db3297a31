/**
 * Which documents a token can read, from the grants the server reports (GET /whoami) or the token
 * carries, so a workspace opens only those. Opening a unit the user has no role on would only earn
 * 403s and a reconnect loop. Same pattern rule as the server: an exact name, or a prefix ending
 * in `*` (`unit:*`, `*`). The server stays the authority; this only avoids asking in vain.
 */

export interface Grant {
  role: 'viewer' | 'annotator' | 'editor' | 'admin';
  doc: string;
}

export function patternMatches(pattern: string, docName: string): boolean {
  return pattern.endsWith('*') ? docName.startsWith(pattern.slice(0, -1)) : pattern === docName;
}

export function canRead(grants: readonly Grant[], docName: string): boolean {
  return grants.some((g) => patternMatches(g.doc, docName));
}
