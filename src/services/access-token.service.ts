import { randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { UnauthenticatedError } from '../errors';
import type { DirectoryAccount } from './directory.service';
import type { SigningKey } from './signing-key';

/** Who a valid access token speaks for. */
export interface TokenSubject {
  accountId: string;
  username: string;
}

/** The `aud` and `typ` that set our access tokens apart from login assertions. */
const AUDIENCE = 'passport-assurance-api';
const TYPE = 'at+jwt';

/** Issues and checks the short-lived access tokens that signIn hands out. */
export class AccessTokenService {
  constructor(
    private readonly key: SigningKey,
    private readonly issuer: string,
    private readonly ttlSeconds: number,
  ) {}

  /** Signs a token for the account; returns it with its expiry. */
  async issue(account: DirectoryAccount): Promise<{ token: string; expiresAt: Date }> {
    const jwk = await this.key.jwk();
    const now = Math.floor(Date.now() / 1000);
    const exp = now + this.ttlSeconds;
    const token = await new SignJWT({ preferred_username: account.username })
      .setProtectedHeader({ alg: this.key.alg, kid: jwk.kid, typ: TYPE })
      .setIssuer(this.issuer)
      .setAudience(AUDIENCE)
      .setSubject(account.id)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(this.key.privateKey);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** Verifies signature, issuer, audience, type and expiry; throws UnauthenticatedError. */
  async verify(token: string): Promise<TokenSubject> {
    if (token.length > 4096) throw new UnauthenticatedError('Invalid access token');
    try {
      const { payload } = await jwtVerify(token, this.key.publicKey, {
        issuer: this.issuer,
        audience: AUDIENCE,
        typ: TYPE,
        algorithms: [this.key.alg],
      });
      if (typeof payload.sub !== 'string' || typeof payload.preferred_username !== 'string') {
        throw new UnauthenticatedError('Invalid access token');
      }
      return { accountId: payload.sub, username: payload.preferred_username };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) {
        throw new UnauthenticatedError('Access token expired', { reason: 'TOKEN_EXPIRED' });
      }
      throw new UnauthenticatedError('Invalid access token');
    }
  }
}
