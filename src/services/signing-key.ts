import { createPublicKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';

/** The service's signing key with what JWTs and the JWKS endpoint need to know of it. */
export class SigningKey {
  readonly alg: 'ES256' | 'RS256';
  readonly publicKey: KeyObject;
  private publicJwk?: JWK & { kid: string };

  constructor(readonly privateKey: KeyObject) {
    this.alg = privateKey.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256';
    this.publicKey = createPublicKey(privateKey);
  }

  /** The public key as a JWK whose `kid` is its RFC 7638 thumbprint. */
  async jwk(): Promise<JWK & { kid: string }> {
    if (!this.publicJwk) {
      const jwk = await exportJWK(this.publicKey);
      const kid = await calculateJwkThumbprint(jwk);
      this.publicJwk = { ...jwk, kid, alg: this.alg, use: 'sig' };
    }
    return this.publicJwk;
  }

  /** The JWK Set served at /.well-known/jwks.json; a key being retired can be listed beside it. */
  async jwks(retired: readonly JWK[] = []): Promise<{ keys: JWK[] }> {
    return { keys: [await this.jwk(), ...retired] };
  }
}
