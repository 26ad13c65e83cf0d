import { MeDocument, SignInDocument } from '../../generated/graphql';
import { httpGraphQL } from '../support/graphql-client';
import { metric } from '../support/metrics';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestApp, testEnv, type TestApp } from '../support/test-app';
import { testServers } from '../support/test-servers';

describe('when the directory goes down', () => {
  const { samba } = testServers();
  const proxy = new TcpProxy(636);
  let t: TestApp;
  let token: string;
  const signIn = () =>
    httpGraphQL(t.url, SignInDocument, { username: 'anna', password: samba.userPassword });
  const readyz = async () => {
    const response = await fetch(`${t.url}/readyz`);
    return { status: response.status, body: await response.json() };
  };

  beforeAll(async () => {
    const port = await proxy.start();
    t = await startTestApp(testEnv({ LDAP_URL: `ldaps://127.0.0.1:${port}` }));
    const { data } = await signIn();
    token = data!.signIn.accessToken;
  });
  afterAll(async () => {
    await t.close();
    await proxy.stop();
  });

  it('is ready while the directory answers', async () => {
    expect(await readyz()).toEqual({
      status: 200,
      body: { ready: true, checks: { mongodb: 'ok', directory: 'ok', broker: 'ok' } },
    });
  });

  it('answers DIRECTORY_UNAVAILABLE, reports not ready, counts the errors, and stays alive', async () => {
    await proxy.stop();

    const answer = await signIn();
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0].extensions!.code).toBe('DIRECTORY_UNAVAILABLE');
    expect(JSON.stringify(answer)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|CN=/);

    const me = await httpGraphQL(t.url, MeDocument, undefined, {
      authorization: `Bearer ${token}`,
    });
    expect(me.errors![0].extensions!.code).toBe('DIRECTORY_UNAVAILABLE');

    expect(await readyz()).toEqual({
      status: 503,
      body: { ready: false, checks: { mongodb: 'ok', directory: 'unavailable', broker: 'ok' } },
    });
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    expect(
      await metric(t, 'passport_dependency_errors_total', { dependency: 'directory' }),
    ).toBeGreaterThanOrEqual(2);
  });

  it('recovers by itself when the directory is back', async () => {
    await proxy.start();
    const answer = await signIn();
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.signIn.account.username).toBe('anna');
    expect((await readyz()).status).toBe(200);
  });
});
