import * as v from 'valibot';
import { whoamiSchema, type Whoami } from './whoami.ts';

/**
 * Who this device works as, read from the token itself (`dl1.<payload>.<signature>`), so the
 * side panel knows the user's name and roles offline too. This is for the interface only: which
 * controls to enable and the name shown to colleagues. The server verifies the signature and
 * enforces the roles on every write, whatever the interface believes.
 */
const payloadSchema = v.object({
  sub: v.string(),
  name: v.string(),
  grants: whoamiSchema.entries.grants,
  exp: v.optional(v.number()),
});

export function identityFromToken(token: string): Whoami | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    const parsed = v.safeParse(payloadSchema, JSON.parse(new TextDecoder().decode(bytes)));
    if (!parsed.success) return undefined;
    const { sub, name, grants, exp } = parsed.output;
    return { user: sub, name, grants, ...(exp !== undefined ? { exp } : {}) };
  } catch {
    return undefined;
  }
}
