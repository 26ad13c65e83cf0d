import { generateKeyPairSync } from 'node:crypto';
import { SigningKey } from '../../src/services/signing-key';

describe('signing key and JWKS', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

  it('publishes the public key with its thumbprint as kid, and no private part', async () => {
    const key = new SigningKey(ec);
    const { keys } = await key.jwkSet();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys[0].kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('lists a key being rotated out after the current one', async () => {
    const key = new SigningKey(rsa, ec);
    expect(key.alg).toBe('RS256');
    const { keys } = await key.jwkSet();
    expect(keys.map((k) => k.alg)).toEqual(['RS256', 'ES256']);
    expect(keys[0].kid).not.toBe(keys[1].kid);
    expect((await key.jwk()).kid).toBe(keys[0].kid);
  });
});
