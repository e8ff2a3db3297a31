/**
 * This server as an OpenID Connect client of the organisation's provider: discovery, the code and
 * refresh exchanges at its token endpoint, ID token verification (jose: signature from the
 * provider's published JWKS, issuer, audience, expiry, nonce), userinfo for claims the ID token
 * leaves out, refresh token revocation and the provider's logout URL.
 *
 * Every failure is an `SsoRefused` with a short reason the HTTP layer answers with; nothing here
 * logs or returns a token.
 */
import { type JWTPayload, type JWTVerifyGetKey, createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import * as v from 'valibot';
import type { SsoConfig } from './config.ts';

export type SsoRefusal =
  | 'provider-unreachable'
  | 'provider-refused'
  | 'invalid-token'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'bad-signature'
  | 'expired'
  | 'wrong-nonce'
  | 'no-grants'
  | 'no-session';

export class SsoRefused extends Error {
  constructor(
    readonly reason: SsoRefusal,
    detail: string,
  ) {
    super(detail);
  }
}

const discoverySchema = v.object({
  issuer: v.string(),
  authorization_endpoint: v.pipe(v.string(), v.url()),
  token_endpoint: v.pipe(v.string(), v.url()),
  jwks_uri: v.pipe(v.string(), v.url()),
  userinfo_endpoint: v.optional(v.pipe(v.string(), v.url())),
  revocation_endpoint: v.optional(v.pipe(v.string(), v.url())),
  end_session_endpoint: v.optional(v.pipe(v.string(), v.url())),
});
export type Discovery = v.InferOutput<typeof discoverySchema>;

const tokenResponseSchema = v.object({
  id_token: v.optional(v.string()),
  access_token: v.optional(v.string()),
  refresh_token: v.optional(v.string()),
});
export type ProviderTokens = v.InferOutput<typeof tokenResponseSchema>;

/** Only asymmetric algorithms: a provider's ID token is checked against its published public keys. */
const algorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const timeoutMs = 10_000;

/**
 * Verifies an ID token. Pure apart from `keys` (a remote JWKS in service, a local one in tests).
 * Expiry is checked with a minute's leeway for clocks that differ a little.
 */
export async function verifyIdToken(
  idToken: string,
  expected: { issuer: string; audience: string; keys: JWTVerifyGetKey; nonce?: string | undefined; now?: Date },
): Promise<JWTPayload & { sub: string }> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, expected.keys, {
      issuer: expected.issuer,
      audience: expected.audience,
      algorithms,
      clockTolerance: 60,
      requiredClaims: ['sub', 'exp', 'iat'],
      ...(expected.now ? { currentDate: expected.now } : {}),
    }));
  } catch (error) {
    throw refusalFrom(error);
  }
  if (expected.nonce !== undefined && payload.nonce !== expected.nonce)
    throw new SsoRefused('wrong-nonce', 'the ID token was not issued for this sign-in');
  return payload as JWTPayload & { sub: string };
}

function refusalFrom(error: unknown): SsoRefused {
  if (error instanceof joseErrors.JWTExpired) return new SsoRefused('expired', 'the ID token has expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return new SsoRefused('wrong-issuer', 'the ID token comes from another issuer');
    if (error.claim === 'aud') return new SsoRefused('wrong-audience', 'the ID token was issued for another client');
    return new SsoRefused('invalid-token', `the ID token's ${error.claim} claim is not acceptable`);
  }
  if (
    error instanceof joseErrors.JWSSignatureVerificationFailed ||
    error instanceof joseErrors.JWKSNoMatchingKey ||
    error instanceof joseErrors.JOSEAlgNotAllowed
  ) {
    return new SsoRefused('bad-signature', 'the ID token is not signed by the provider');
  }
  if (
    error instanceof joseErrors.JWKSTimeout ||
    error instanceof joseErrors.JWKSInvalid ||
    (error instanceof TypeError && /fetch/u.test(error.message))
  ) {
    return new SsoRefused('provider-unreachable', "the provider's keys could not be read");
  }
  return new SsoRefused('invalid-token', 'not a well-formed ID token');
}

export class OidcClient {
  private discovery: Promise<Discovery> | undefined;
  private keys: JWTVerifyGetKey | undefined;

  constructor(private readonly config: SsoConfig) {}

  /** The provider's discovery document, read once it is first needed, again after a failure. */
  discover(): Promise<Discovery> {
    this.discovery ??= this.readDiscovery().catch((error: unknown) => {
      this.discovery = undefined;
      throw error;
    });
    return this.discovery;
  }

  private async readDiscovery(): Promise<Discovery> {
    const url = `${this.config.issuer.replace(/\/+$/u, '')}/.well-known/openid-configuration`;
    const json = await this.fetchJson(url, {});
    const parsed = v.safeParse(discoverySchema, json);
    if (!parsed.success)
      throw new SsoRefused('provider-unreachable', 'the provider answered discovery with something else');
    if (parsed.output.issuer !== this.config.issuer)
      throw new SsoRefused('wrong-issuer', `the provider calls itself ${parsed.output.issuer}`);
    this.keys = createRemoteJWKSet(new URL(parsed.output.jwks_uri), { timeoutDuration: timeoutMs });
    return parsed.output;
  }

  /** `redirectUri`: the one the authorization request named (the callback, or a browser flow's). */
  async exchangeCode(
    code: string,
    codeVerifier: string,
    redirectUri = this.config.redirectUri,
  ): Promise<ProviderTokens> {
    return this.tokenRequest({
      grant_type: 'authorization_code',
      code,
      code_verifier: codeVerifier,
      redirect_uri: redirectUri,
    });
  }

  async refresh(refreshToken: string): Promise<ProviderTokens> {
    return this.tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  /** Who the tokens say the user is: the verified ID token's claims, completed from userinfo. */
  async claims(tokens: ProviderTokens, nonce?: string): Promise<Record<string, unknown> & { sub: string }> {
    const discovery = await this.discover();
    if (tokens.id_token === undefined) throw new SsoRefused('invalid-token', 'the provider returned no ID token');
    const claims = await verifyIdToken(tokens.id_token, {
      issuer: this.config.issuer,
      audience: this.config.clientId,
      keys: this.keys!,
      nonce,
    });
    const { groupsClaim, nameClaim } = this.config;
    if ((groupsClaim in claims && nameClaim in claims) || !discovery.userinfo_endpoint || !tokens.access_token)
      return claims;
    const info = await this.fetchJson(discovery.userinfo_endpoint, {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    });
    // Userinfo about someone else would be a confused provider: keep only the ID token then.
    if (typeof info !== 'object' || info === null || (info as { sub?: unknown }).sub !== claims.sub) return claims;
    return { ...(info as Record<string, unknown>), ...claims, sub: claims.sub };
  }

  /** Best effort: a provider without a revocation endpoint lets the refresh token lapse. */
  async revoke(refreshToken: string): Promise<void> {
    const discovery = await this.discover().catch(() => undefined);
    if (!discovery?.revocation_endpoint) return;
    await this.post(discovery.revocation_endpoint, { token: refreshToken, token_type_hint: 'refresh_token' }).catch(
      () => undefined,
    );
  }

  /** Where the browser goes to end the provider's session too (RP-initiated logout), if it offers that. */
  async endSessionUrl(idTokenHint: string | undefined): Promise<string | undefined> {
    const discovery = await this.discover().catch(() => undefined);
    if (!discovery?.end_session_endpoint) return undefined;
    const url = new URL(discovery.end_session_endpoint);
    url.searchParams.set('client_id', this.config.clientId);
    if (idTokenHint) url.searchParams.set('id_token_hint', idTokenHint);
    return url.href;
  }

  private async tokenRequest(form: Record<string, string>): Promise<ProviderTokens> {
    const discovery = await this.discover();
    const res = await this.post(discovery.token_endpoint, form);
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const error =
        typeof json === 'object' && json !== null
          ? String((json as { error?: unknown }).error ?? res.status)
          : String(res.status);
      throw new SsoRefused('provider-refused', `the provider refused: ${error}`);
    }
    const parsed = v.safeParse(tokenResponseSchema, json);
    if (!parsed.success)
      throw new SsoRefused('provider-refused', 'the provider answered the token request with something else');
    return parsed.output;
  }

  private async post(url: string, form: Record<string, string>): Promise<Response> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    };
    const body = new URLSearchParams(form);
    const { clientId, clientSecret } = this.config;
    // client_secret_basic (RFC 6749 2.3.1: both parts form-encoded first); a public client names itself.
    if (clientSecret) {
      const credentials = `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`;
      headers.Authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    } else body.set('client_id', clientId);
    try {
      return await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    } catch {
      throw new SsoRefused('provider-unreachable', 'the provider did not answer');
    }
  }

  private async fetchJson(url: string, init: RequestInit): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch {
      throw new SsoRefused('provider-unreachable', 'the provider did not answer');
    }
    if (!res.ok) throw new SsoRefused('provider-unreachable', `the provider answered ${res.status}`);
    return res.json().catch(() => null);
  }
}
