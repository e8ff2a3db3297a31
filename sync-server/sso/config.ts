/**
 * The SSO configuration file (`--sso-config FILE`, README "Single sign-on"): which OpenID Connect
 * provider, which client this server is there, how long our own tokens live between renewals, and
 * which provider groups (or roles) give which grants. Read once at start; a file that does not
 * parse stops the server with the reason, rather than running with a half-understood mapping.
 */
import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { type Grant, parseGrant } from '../access.ts';

const grantText = v.pipe(
  v.string(),
  v.check((text) => {
    try {
      parseGrant(text);
      return true;
    } catch {
      return false;
    }
  }, 'each grant is role:document, e.g. editor:unit:* or viewer:workspace'),
);

export const ssoConfigSchema = v.object({
  /** The provider's issuer URL, exactly as its discovery document and its tokens spell it. */
  issuer: v.pipe(v.string(), v.url()),
  /** This server's client id at the provider: the audience its ID tokens must name. */
  clientId: v.pipe(v.string(), v.minLength(1)),
  /** For a confidential client; else DOSSIER_LENS_SSO_CLIENT_SECRET; none: a public client (PKCE only). */
  clientSecret: v.optional(v.pipe(v.string(), v.minLength(1))),
  /** This server's `/sso/callback`, as registered with the provider (its public https URL). */
  redirectUri: v.pipe(v.string(), v.url()),
  /**
   * Redirect URIs of the browser's own sign-in flow (identity.launchWebAuthFlow, used in Firefox),
   * e.g. `https://<sha1 of the extension id>.extensions.allizom.org/`, also registered at the provider.
   */
  extensionRedirectUris: v.optional(v.array(v.pipe(v.string(), v.url())), []),
  scope: v.optional(
    v.pipe(v.string(), v.regex(/(^| )openid( |$)/u, 'scope must include openid')),
    'openid profile groups',
  ),
  /** The claim holding the user's groups or roles (a list of strings, or one string). */
  groupsClaim: v.optional(v.pipe(v.string(), v.minLength(1)), 'groups'),
  /** The claim holding the display name (falls back to preferred_username, then sub). */
  nameClaim: v.optional(v.pipe(v.string(), v.minLength(1)), 'name'),
  /** Lifetime of the tokens this server issues, which is also the renewal period: 60 s to 1 day. */
  renewSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(60), v.maxValue(86_400)), 900),
  /** Provider group → grants (`role:document`). A user in no mapped group is refused. */
  grants: v.pipe(
    v.record(v.pipe(v.string(), v.minLength(1)), v.pipe(v.array(grantText), v.minLength(1))),
    v.check((map) => Object.keys(map).length > 0, 'map at least one group'),
  ),
});
export type SsoConfig = v.InferOutput<typeof ssoConfigSchema>;

export function loadSsoConfig(file: string, env: NodeJS.ProcessEnv = process.env): SsoConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`SSO configuration ${file}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = v.safeParse(ssoConfigSchema, json);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    throw new Error(`SSO configuration ${file}: ${v.getDotPath(issue) ?? '(top)'}: ${issue.message}`);
  }
  const secret = parsed.output.clientSecret ?? env.DOSSIER_LENS_SSO_CLIENT_SECRET;
  return { ...parsed.output, ...(secret ? { clientSecret: secret } : {}) };
}

/**
 * The grants a user's groups give: the union of every mapped group's grants, duplicates folded,
 * at most 64 (a token's limit). Pure: the same claims always map to the same grants.
 */
export function grantsForGroups(config: Pick<SsoConfig, 'grants'>, groups: readonly string[]): Grant[] {
  const seen = new Map<string, Grant>();
  for (const group of groups) {
    for (const text of config.grants[group] ?? []) {
      const grant = parseGrant(text);
      seen.set(`${grant.role} ${grant.doc}`, grant);
    }
  }
  return [...seen.values()].slice(0, 64);
}

/** The groups claim read leniently: a list of strings, or one string; anything else is no groups. */
export function groupsFromClaim(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}
