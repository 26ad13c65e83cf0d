import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { DirectoryAccount } from './directory.service';
import type { SigningKey } from './signing-key';

/** How long the ID portal has to redeem an assertion. */
export const ASSERTION_TTL_SECONDS = 120;

/** A signed statement for the ID portal that someone proved to be an AD account. */
export interface LoginAssertion {
  assertion: string;
  expiresAt: Date;
}

/**
 * Signs login assertions: `sub` is the account's objectGUID, `loa` Substantial and `amr`
 * passport; the ID portal checks them against /.well-known/jwks.json and ASSERTION_AUDIENCE.
 */
export class LoginAssertionService {
  constructor(
    private readonly key: SigningKey,
    private readonly issuer: string,
    private readonly audience: string,
  ) {}

  /** Signs an assertion for the account, authenticated at authTime. */
  async issue(account: DirectoryAccount, authTime: Date): Promise<LoginAssertion> {
    const { kid } = await this.key.jwk();
    const now = Math.floor(Date.now() / 1000);
    const exp = now + ASSERTION_TTL_SECONDS;
    const assertion = await new SignJWT({
      preferred_username: account.username,
      name: account.displayName,
      loa: 'Substantial',
      amr: ['passport'],
      auth_time: Math.floor(authTime.getTime() / 1000),
    })
      .setProtectedHeader({ alg: this.key.alg, kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(account.id)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(this.key.privateKey);
    return { assertion, expiresAt: new Date(exp * 1000) };
  }
}
