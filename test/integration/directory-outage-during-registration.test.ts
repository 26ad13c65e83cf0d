import { TcpProxy } from '../support/tcp-proxy';
import { startTestApp, testEnv, type TestApp } from '../support/test-app';
import {
  approveAndFollow,
  bearerFor,
  DomainAdmin,
  registerPassport,
  startRegistration,
  uniquePassport,
} from '../support/verification-helpers';

/**
 * The directory goes down (its TCP connection cut) while the user is in the app: the
 * registration ends FAILED DIRECTORY_UNAVAILABLE with nothing half-written, so the same
 * passport registers normally once the directory is back.
 */
describe('a directory outage during a registration', () => {
  const proxy = new TcpProxy(636);
  let t: TestApp;

  beforeAll(async () => {
    const port = await proxy.start();
    t = await startTestApp(testEnv({ LDAP_URL: `ldaps://127.0.0.1:${port}` }));
  });
  afterAll(async () => {
    await t.close();
    await proxy.stop();
  });

  it('fails the registration cleanly, and the passport registers once the directory is back', async () => {
    const admin = new DomainAdmin();
    await admin.setAltSecurityIdentities('user22', []);
    const passport = uniquePassport();
    const started = await startRegistration(t, await bearerFor(t, 'user22'));

    await proxy.stop();
    const { final } = await approveAndFollow(t, started, passport);
    expect(final).toMatchObject({ status: 'FAILED', reason: 'DIRECTORY_UNAVAILABLE' });
    expect(final.binding).toBeNull();

    const { models } = t.app.services;
    expect(await models.bindings.countDocuments({ username: 'user22' })).toBe(0);
    expect(await models.ownerships.countDocuments({})).toBe(0);
    expect(
      await models.records.countDocuments({ _id: started.session.id, outcome: 'FAILED' }),
    ).toBe(1);
    expect(await admin.altSecurityIdentities('user22')).toEqual([]);

    await proxy.start();
    const binding = await registerPassport(t, 'user22', passport);
    expect(binding).toMatchObject({ username: 'user22', status: 'ACTIVE' });
    expect(
      (await admin.altSecurityIdentities('user22')).filter((v) => v.startsWith('PASSPORT:')),
    ).toHaveLength(1);
  }, 60_000);
});
