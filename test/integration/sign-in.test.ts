import { decodeJwt, decodeProtectedHeader } from 'jose';
import { MeDocument, SignInDocument } from '../../generated/graphql';
import { httpGraphQL, wsClient, wsExecute } from '../support/graphql-client';
import { startTestApp, testEnv, type TestApp } from '../support/test-app';
import { testServers } from '../support/test-servers';

describe('signIn with an Active Directory account', () => {
  const { samba } = testServers();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers an access token and the account read from AD', async () => {
    const { data, errors } = await httpGraphQL(t.url, SignInDocument, {
      username: 'anna',
      password: samba.userPassword,
    });
    expect(errors).toBeUndefined();
    const result = data!.signIn;
    expect(result.account).toMatchObject({
      username: 'anna',
      displayName: 'Anna Maria Eriksson',
      userPrincipalName: 'anna@passport.test',
      enabled: true,
      isAdmin: false,
    });
    expect(result.account.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(new Date(result.expiresAt).getTime()).toBeGreaterThan(Date.now());

    const claims = decodeJwt(result.accessToken);
    expect(claims.sub).toBe(result.account.id);
    expect(claims.preferred_username).toBe('anna');
    expect(decodeProtectedHeader(result.accessToken).typ).toBe('at+jwt');
  });

  it('marks members of LDAP_ADMIN_GROUP_DN as admins', async () => {
    const { data } = await httpGraphQL(t.url, SignInDocument, {
      username: 'ada',
      password: samba.userPassword,
    });
    expect(data!.signIn.account.isAdmin).toBe(true);
  });

  it('accepts the token as Authorization: Bearer for me', async () => {
    const { data: signedIn } = await httpGraphQL(t.url, SignInDocument, {
      username: 'bo',
      password: samba.userPassword,
    });
    const { data, errors } = await httpGraphQL(t.url, MeDocument, undefined, {
      authorization: `Bearer ${signedIn!.signIn.accessToken}`,
    });
    expect(errors).toBeUndefined();
    expect(data!.me).toMatchObject({ username: 'bo', displayName: 'Bo Jensen' });
  });

  it('accepts the same token as graphql-ws connectionParams.authorization', async () => {
    const { data: signedIn } = await httpGraphQL(t.url, SignInDocument, {
      username: 'bo',
      password: samba.userPassword,
    });
    const client = wsClient(t.wsUrl, `Bearer ${signedIn!.signIn.accessToken}`);
    try {
      const result = await wsExecute(client, MeDocument);
      expect(result.errors).toBeUndefined();
      expect(result.data!.me!.username).toBe('bo');
    } finally {
      await client.dispose();
    }
  });

  it('answers me with null for an anonymous caller', async () => {
    const { data, errors } = await httpGraphQL(t.url, MeDocument);
    expect(errors).toBeUndefined();
    expect(data!.me).toBeNull();
  });
});

describe('signIn over StartTLS', () => {
  const { samba } = testServers();

  it('works when LDAP_URL is ldap:// (upgraded before any password is sent)', async () => {
    const t = await startTestApp(testEnv({ LDAP_URL: samba.startTlsUrl }));
    try {
      const { data, errors } = await httpGraphQL(t.url, SignInDocument, {
        username: 'anna',
        password: samba.userPassword,
      });
      expect(errors).toBeUndefined();
      expect(data!.signIn.account.username).toBe('anna');
    } finally {
      await t.close();
    }
  });
});
