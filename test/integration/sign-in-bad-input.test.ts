import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { MeDocument, SignInDocument } from '../../generated/graphql';
import { httpGraphQL, wsClient, wsExecute, type GraphQLResponse } from '../support/graphql-client';
import { startTestApp, testEnv, type TestApp } from '../support/test-app';
import { testServers } from '../support/test-servers';

/** The single error's code, after checking that nothing internal leaked with it. */
function codeOf(response: GraphQLResponse<unknown>): unknown {
  const text = JSON.stringify(response);
  for (const internal of ['CN=', 'DC=passport', 'stack', 'ldap', 'Mongo', 'at ']) {
    expect(text).not.toContain(internal);
  }
  expect(response.errors).toHaveLength(1);
  return response.errors![0].extensions?.code;
}

describe('signIn refuses bad input with a typed error and no leak', () => {
  const { samba } = testServers();
  let t: TestApp;
  const signIn = (username: unknown, password: unknown) =>
    httpGraphQL(t.url, SignInDocument, { username, password } as never);

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers UNAUTHENTICATED, with one message, for a wrong password, an unknown or a disabled user', async () => {
    const answers = [
      await signIn('anna', 'Wrong-Passw0rd!'),
      await signIn('nobody-by-this-name', samba.userPassword),
      await signIn('dorte', samba.userPassword),
    ];
    for (const answer of answers) {
      expect(codeOf(answer)).toBe('UNAUTHENTICATED');
      expect(answer.errors![0].message).toBe('Invalid username or password');
    }
  });

  it('treats LDAP filter metacharacters as plain characters', async () => {
    for (const username of [
      '*',
      '*)(sAMAccountName=*',
      'anna)(|(objectClass=*',
      'an*',
      '\\',
      'anna\\2a',
    ]) {
      const answer = await signIn(username, samba.userPassword);
      expect(codeOf(answer)).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses control characters, NUL among them, as BAD_USER_INPUT', async () => {
    for (const username of ['anna\u0000', 'an\nna', '\u0000*']) {
      expect(codeOf(await signIn(username, samba.userPassword))).toBe('BAD_USER_INPUT');
    }
  });

  it('refuses empty and oversized values as BAD_USER_INPUT, naming the field', async () => {
    const cases: [string, string, string][] = [
      ['', samba.userPassword, 'username'],
      ['anna', '', 'password'],
      ['a'.repeat(65), samba.userPassword, 'username'],
      ['anna', 'p'.repeat(257), 'password'],
      ['a'.repeat(90_000), 'x', 'username'],
    ];
    for (const [username, password, field] of cases) {
      const answer = await signIn(username, password);
      expect(codeOf(answer)).toBe('BAD_USER_INPUT');
      const details = answer.errors![0].extensions!.validationErrors as { property: string }[];
      expect(details.map((d) => d.property)).toContain(field);
      expect(JSON.stringify(answer)).not.toContain(samba.userPassword);
    }
  });

  it('refuses wrong types as BAD_USER_INPUT', async () => {
    expect(codeOf(await signIn(12345, samba.userPassword))).toBe('BAD_USER_INPUT');
    expect(codeOf(await signIn(['anna'], samba.userPassword))).toBe('BAD_USER_INPUT');
    expect(codeOf(await signIn(null, samba.userPassword))).toBe('BAD_USER_INPUT');
  });

  it('refuses a body over the size limit with a JSON error, not a stack page', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { id } }', variables: { pad: 'x'.repeat(200_000) } }),
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as GraphQLResponse<unknown>;
    expect(codeOf(body)).toBe('BAD_USER_INPUT');
  });

  it('refuses malformed JSON with a JSON error', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    expect(codeOf((await response.json()) as GraphQLResponse<unknown>)).toBe('BAD_USER_INPUT');
  });

  it('writes no password into its logs', async () => {
    await signIn('anna', samba.userPassword);
    await signIn('anna', 'Wrong-Passw0rd!');
    const logs = t.logs.join('\n');
    expect(logs).not.toContain(samba.userPassword);
    expect(logs).not.toContain('Wrong-Passw0rd!');
    expect(logs).not.toContain(samba.servicePassword);
  });

  it('stays healthy after all of it', async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    const answer = await signIn('anna', samba.userPassword);
    expect(answer.errors).toBeUndefined();
  });
});

describe('signIn is for the internal network only', () => {
  const { samba } = testServers();

  it('answers NOT_INTERNAL_NETWORK to a caller outside INTERNAL_NETWORKS', async () => {
    const t = await startTestApp(testEnv({ INTERNAL_NETWORKS: '10.0.0.0/8' }));
    try {
      const answer = await httpGraphQL(t.url, SignInDocument, {
        username: 'anna',
        password: samba.userPassword,
      });
      expect(codeOf(answer)).toBe('NOT_INTERNAL_NETWORK');
      // X-Forwarded-For from an untrusted peer is ignored.
      const forged = await httpGraphQL(
        t.url,
        SignInDocument,
        { username: 'anna', password: samba.userPassword },
        { 'x-forwarded-for': '10.1.2.3' },
      );
      expect(codeOf(forged)).toBe('NOT_INTERNAL_NETWORK');
    } finally {
      await t.close();
    }
  });

  it('honours X-Forwarded-For from a TRUST_PROXY address', async () => {
    const t = await startTestApp(
      testEnv({ INTERNAL_NETWORKS: '10.0.0.0/8', TRUST_PROXY: '127.0.0.1' }),
    );
    try {
      const inside = await httpGraphQL(
        t.url,
        SignInDocument,
        { username: 'anna', password: samba.userPassword },
        { 'x-forwarded-for': '10.1.2.3' },
      );
      expect(inside.errors).toBeUndefined();
      const outside = await httpGraphQL(
        t.url,
        SignInDocument,
        { username: 'anna', password: samba.userPassword },
        { 'x-forwarded-for': '10.1.2.3, 203.0.113.7' },
      );
      expect(codeOf(outside)).toBe('NOT_INTERNAL_NETWORK');
    } finally {
      await t.close();
    }
  });
});

describe('access tokens that must not work', () => {
  const { samba } = testServers();
  let t: TestApp;
  let account: { id: string; username: string };
  let goodToken: string;

  beforeAll(async () => {
    t = await startTestApp();
    const { data } = await httpGraphQL(t.url, SignInDocument, {
      username: 'anna',
      password: samba.userPassword,
    });
    account = data!.signIn.account;
    goodToken = data!.signIn.accessToken;
  });
  afterAll(() => t.close());

  const me = (authorization: string) =>
    httpGraphQL(t.url, MeDocument, undefined, { authorization });
  const sign = (claims: Record<string, unknown> = {}, typ = 'at+jwt') =>
    new SignJWT({ preferred_username: account.username, ...claims })
      .setProtectedHeader({ alg: 'ES256', typ })
      .setIssuer('urn:passport-assurance')
      .setAudience('passport-assurance-api')
      .setSubject(account.id)
      .setIssuedAt()
      .setJti(randomUUID());

  it('refuses an expired token, saying so', async () => {
    const expired = await sign()
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(t.config.signingKey);
    const answer = await me(`Bearer ${expired}`);
    expect(codeOf(answer)).toBe('UNAUTHENTICATED');
    expect(answer.errors![0].extensions!.reason).toBe('TOKEN_EXPIRED');
  });

  it('refuses a token signed with another key', async () => {
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const forged = await sign().setExpirationTime('5m').sign(otherKey);
    expect(codeOf(await me(`Bearer ${forged}`))).toBe('UNAUTHENTICATED');
  });

  it('refuses a tampered payload, an unsigned token and garbage', async () => {
    const [header, , signature] = goodToken.split('.');
    const payload = Buffer.from(
      JSON.stringify({ sub: randomUUID(), preferred_username: 'ada', exp: 9999999999 }),
    ).toString('base64url');
    const unsigned = `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${payload}.`;
    for (const token of [
      `${header}.${payload}.${signature}`,
      unsigned,
      'not-a-jwt',
      'x'.repeat(10_000),
    ]) {
      expect(codeOf(await me(`Bearer ${token}`))).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses our own signature on something that is not an access token', async () => {
    const assertionLike = await sign({}, 'JWT').setExpirationTime('5m').sign(t.config.signingKey);
    expect(codeOf(await me(`Bearer ${assertionLike}`))).toBe('UNAUTHENTICATED');
  });

  it('refuses an Authorization header that is not Bearer', async () => {
    expect(codeOf(await me(`Basic ${Buffer.from('anna:x').toString('base64')}`))).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('refuses a forged token over graphql-ws too', async () => {
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const forged = await sign().setExpirationTime('5m').sign(otherKey);
    const client = wsClient(t.wsUrl, `Bearer ${forged}`);
    try {
      const result = await wsExecute(client, MeDocument);
      expect(result.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    } finally {
      await client.dispose();
    }
  });

  it('still accepts the genuine token', async () => {
    const answer = await me(`Bearer ${goodToken}`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.me!.id).toBe(account.id);
  });
});
