/**
 * Single sign-on, the server's side (README "Single sign-on"): a provider sign-in becomes one of
 * this server's own tokens (token.ts, unchanged format) whose grants come from the user's groups
 * through the configured mapping, living `renewSeconds`.
 *
 * Renewal is done here, not in the browser: the provider's refresh token stays in this process's
 * memory, keyed by the `jti` of the token it last backed, and never reaches the device. Each
 * renewal refreshes at the provider, so a changed group gives new grants and a user the provider
 * refuses (disabled, session ended) is refused too; the token presented is then revoked at once.
 * A restart forgets the refresh tokens: users sign in again at their next renewal.
 */
import { type Grant } from '../access.ts';
import { revokeNow } from '../admin.ts';
import { authenticate } from '../auth.ts';
import type { Logger } from '../log.ts';
import type { Storage } from '../storage/types.ts';
import { type TokenPayload, mintToken } from '../token.ts';
import { type SsoConfig, grantsForGroups, groupsFromClaim } from './config.ts';
import { OidcClient, type ProviderTokens, SsoRefused } from './provider.ts';

interface Session {
  refreshToken: string | undefined;
  idToken: string | undefined;
  /** When the token this session backs expires (seconds): the session is dropped after that. */
  exp: number;
}

export interface Issued {
  token: string;
  payload: TokenPayload;
}

export class SsoService {
  readonly client: OidcClient;
  private readonly sessions = new Map<string, Session>();
  private readonly renewing = new Map<string, Promise<Issued>>();

  constructor(
    readonly config: SsoConfig,
    private readonly secret: Buffer,
    private readonly storage: Storage,
    private readonly log: Logger,
  ) {
    this.client = new OidcClient(config);
  }

  /** What the extension needs to send the user to the provider (nothing secret). */
  async publicConfig() {
    const discovery = await this.client.discover();
    const { issuer, clientId, redirectUri, extensionRedirectUris, scope } = this.config;
    return {
      issuer,
      clientId,
      redirectUri,
      extensionRedirectUris,
      scope,
      authorizationEndpoint: discovery.authorization_endpoint,
    };
  }

  /** The code the provider returned to /sso/callback, with the PKCE verifier and nonce only the extension knows. */
  async signIn(input: {
    code: string;
    codeVerifier: string;
    nonce: string;
    redirectUri?: string | undefined;
  }): Promise<Issued> {
    const { redirectUri = this.config.redirectUri } = input;
    if (redirectUri !== this.config.redirectUri && !this.config.extensionRedirectUris.includes(redirectUri)) {
      throw new SsoRefused('invalid-token', 'the redirect URI is not one this server signs in with');
    }
    const tokens = await this.client.exchangeCode(input.code, input.codeVerifier, redirectUri);
    const issued = await this.issue(tokens, input.nonce);
    this.log.info('sso sign-in', { user: issued.payload.sub, grants: issued.payload.grants.length });
    return issued;
  }

  /** A fresh token for a valid one this service issued, if the provider still vouches for the user. */
  renew(token: string | null): Promise<Issued> {
    const key = token ?? '';
    let pending = this.renewing.get(key);
    if (!pending) {
      // One refresh per token even if asked twice at once: providers rotate refresh tokens.
      pending = this.renewOnce(token).finally(() => this.renewing.delete(key));
      this.renewing.set(key, pending);
    }
    return pending;
  }

  private async renewOnce(token: string | null): Promise<Issued> {
    const auth = await authenticate(this.secret, this.storage, token);
    if (!auth.ok) throw new SsoRefused('no-session', `the token is ${auth.reason}`);
    const { jti, sub } = auth.payload;
    const session = this.sessions.get(jti);
    if (!session?.refreshToken)
      throw new SsoRefused('no-session', 'no provider session backs this token; sign in again');
    let issued: Issued;
    try {
      const tokens = await this.client.refresh(session.refreshToken);
      issued = await this.issue(
        {
          ...tokens,
          refresh_token: tokens.refresh_token ?? session.refreshToken,
          id_token: tokens.id_token ?? session.idToken,
        },
        undefined,
        sub,
      );
    } catch (error) {
      // The provider no longer vouches for this user (or the grants ran out): end access now,
      // not at the token's expiry. An unreachable provider is not a verdict: keep the token.
      if (error instanceof SsoRefused && error.reason !== 'provider-unreachable') {
        this.sessions.delete(jti);
        await revokeNow(this.storage, { jti });
        this.log.warn('sso renewal refused', { user: sub, reason: error.reason });
      }
      throw error;
    }
    this.sessions.delete(jti);
    return issued;
  }

  /**
   * Revokes the token, forgets and revokes its provider session; answers where the browser should go
   * to leave the provider too.
   */
  async signOut(token: string | null): Promise<{ endSessionUrl: string | undefined }> {
    const auth = await authenticate(this.secret, this.storage, token);
    if (!auth.ok) throw new SsoRefused('no-session', `the token is ${auth.reason}`);
    const session = this.sessions.get(auth.payload.jti);
    this.sessions.delete(auth.payload.jti);
    await revokeNow(this.storage, { jti: auth.payload.jti });
    if (session?.refreshToken) await this.client.revoke(session.refreshToken);
    this.log.info('sso sign-out', { user: auth.payload.sub });
    return { endSessionUrl: await this.client.endSessionUrl(session?.idToken) };
  }

  /** `sameUser`: at renewal, the user the renewed token was for; the provider must answer for them. */
  private async issue(tokens: ProviderTokens, nonce?: string, sameUser?: string): Promise<Issued> {
    const claims = await this.client.claims(tokens, nonce);
    if (sameUser !== undefined && claims.sub !== sameUser)
      throw new SsoRefused('invalid-token', 'the provider answered for another user');
    if (claims.sub.length > 128) throw new SsoRefused('invalid-token', 'the user id is longer than 128 characters');
    const grants: Grant[] = grantsForGroups(this.config, groupsFromClaim(claims[this.config.groupsClaim]));
    if (grants.length === 0) throw new SsoRefused('no-grants', 'none of the user’s groups is mapped to a grant');
    const named = [claims[this.config.nameClaim], claims.preferred_username].find(
      (value) => typeof value === 'string' && value.trim() !== '',
    );
    const issued = mintToken(this.secret, {
      user: claims.sub,
      name: typeof named === 'string' ? named.trim().slice(0, 128) : claims.sub,
      grants,
      ttlSeconds: this.config.renewSeconds,
    });
    this.remember(issued.payload, {
      refreshToken: tokens.refresh_token,
      idToken: tokens.id_token,
      exp: issued.payload.exp,
    });
    return issued;
  }

  private remember(payload: TokenPayload, session: Session): void {
    const now = Date.now() / 1000;
    for (const [jti, old] of this.sessions) if (old.exp < now) this.sessions.delete(jti);
    this.sessions.set(payload.jti, session);
  }
}
