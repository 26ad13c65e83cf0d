import { createPublicKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';

type PublicJwk = JWK & { kid: string };

/** The service's signing key with what JWTs and the JWKS endpoint need to know of it. */
export class SigningKey {
  readonly alg: 'ES256' | 'RS256';
  readonly publicKey: KeyObject;
  private jwks?: Promise<{ current: PublicJwk; keys: PublicJwk[] }>;

  /**
   * @param privateKey signs everything from now on
   * @param previousKey a key being rotated out: published so that tokens it signed still
   *   verify until they expire, never used to sign
   */
  constructor(
    readonly privateKey: KeyObject,
    private readonly previousKey?: KeyObject,
  ) {
    this.alg = algorithmOf(privateKey);
    this.publicKey = createPublicKey(privateKey);
  }

  /** The current public key as a JWK whose `kid` is its RFC 7638 thumbprint. */
  async jwk(): Promise<PublicJwk> {
    return (await this.load()).current;
  }

  /** The JWK Set served at /.well-known/jwks.json: the current key, then the previous one. */
  async jwkSet(): Promise<{ keys: PublicJwk[] }> {
    return { keys: (await this.load()).keys };
  }

  private load() {
    this.jwks ??= (async () => {
      const current = await publicJwk(this.publicKey);
      const keys = [current];
      if (this.previousKey) keys.push(await publicJwk(createPublicKey(this.previousKey)));
      return { current, keys };
    })();
    return this.jwks;
  }
}

function algorithmOf(key: KeyObject): 'ES256' | 'RS256' {
  return key.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256';
}

async function publicJwk(key: KeyObject): Promise<PublicJwk> {
  const jwk = await exportJWK(key);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: algorithmOf(key), use: 'sig' };
}
