import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { DEMO_USERS } from '../../src/dev/demo-directory';
import { startEmbeddedServices, type EmbeddedServices } from '../../src/embedded-services';
import { createLogger } from '../../src/logger';
import { MeDocument, SignInDocument } from '../../generated/graphql';
import { httpGraphQL } from '../support/graphql-client';
import { testServers } from '../support/test-servers';

describe('the embedded demo directory (LDAP_URL unset)', () => {
  let embedded: EmbeddedServices;
  let app: App;
  let url: string;
  const demo = (name: string) => DEMO_USERS.find((u) => u.username === name)!;

  beforeAll(async () => {
    const log = createLogger('warn');
    const config = loadConfig({ MONGODB_URI: `${testServers().mongoUri}_demo` });
    // LDAP_URL and BROKER_ISSUER unset: the demo directory and broker simulator stand in.
    embedded = await startEmbeddedServices(config, log);
    app = await createApp(embedded.config, log);
    url = await app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await app.close();
    await embedded.stop();
  });

  it('is reached over verified LDAPS by the same directory code as AD', () => {
    expect(embedded.config.ldap.url).toMatch(/^ldaps:\/\/127\.0\.0\.1:\d+$/);
    expect(embedded.config.ldap.ca).toContain('BEGIN CERTIFICATE');
  });

  it('signs in a demo user and knows the demo admin', async () => {
    const anna = await httpGraphQL(url, SignInDocument, {
      username: 'anna',
      password: demo('anna').password,
    });
    expect(anna.errors).toBeUndefined();
    expect(anna.data!.signIn.account).toMatchObject({
      displayName: 'Anna Maria Eriksson',
      isAdmin: false,
    });
    const me = await httpGraphQL(url, MeDocument, undefined, {
      authorization: `Bearer ${anna.data!.signIn.accessToken}`,
    });
    expect(me.data!.me!.username).toBe('anna');

    const admin = await httpGraphQL(url, SignInDocument, {
      username: 'admin',
      password: demo('admin').password,
    });
    expect(admin.data!.signIn.account.isAdmin).toBe(true);
  });

  it('refuses the disabled demo user and wrong passwords like AD does', async () => {
    for (const [username, password] of [
      ['carl', demo('carl').password],
      ['anna', 'wrong'],
      ['*', demo('anna').password],
    ]) {
      const answer = await httpGraphQL(url, SignInDocument, { username, password });
      expect(answer.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    }
  });
});
