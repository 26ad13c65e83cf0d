import {
  startBrokerSimulator,
  type BrokerSimulator,
} from '../../src/dev/broker-simulator/broker-simulator';
import { StartPassportRegistrationDocument } from '../../generated/graphql';
import { httpGraphQL } from '../support/graphql-client';
import { startTestApp, testEnv } from '../support/test-app';
import { testServers } from '../support/test-servers';
import {
  approveAndFollow,
  bearerFor,
  DomainAdmin,
  eventually,
  followStatus,
  startRegistration,
  uniquePassport,
} from '../support/verification-helpers';

describe('registration survives restarts, races and outages', () => {
  const admin = new DomainAdmin();
  let broker: BrokerSimulator;

  beforeAll(async () => {
    broker = await startBrokerSimulator({ pollIntervalSeconds: 1 });
  });
  afterAll(() => broker.close());

  it('is finished by a new instance after a restart while AWAITING_APP', async () => {
    const env = testEnv();
    const first = await startTestApp(env, broker);
    const started = await startRegistration(first, await bearerFor(first, 'user05'));
    await first.close();

    await broker.approve(started.session.activationCode, uniquePassport());
    const second = await startTestApp(env, broker);
    try {
      const events = await followStatus(second.wsUrl, started.session.id, started.sessionToken)
        .done;
      expect(events[events.length - 1]).toMatchObject({
        status: 'VERIFIED',
        binding: { username: 'user05' },
      });
      const values = await admin.altSecurityIdentities('user05');
      expect(values.filter((v) => v.startsWith('PASSPORT:'))).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('makes exactly one transition, one AD write and one record with two instances on one database', async () => {
    const env = testEnv();
    const [a, b] = [await startTestApp(env, broker), await startTestApp(env, broker)];
    const writes = [a, b].map((t) => jest.spyOn(t.app.services.directory, 'setPassportIdentity'));
    try {
      const users = ['user06', 'user07', 'user08', 'user09'];
      const sessions = await Promise.all(
        users.map(async (username, i) => {
          const on = i % 2 === 0 ? a : b;
          const started = await startRegistration(on, await bearerFor(on, username));
          // Subscribe on the other instance than the one that started it.
          const follower = followStatus(
            (on === a ? b : a).wsUrl,
            started.session.id,
            started.sessionToken,
          );
          await follower.waitFor((e) => e.status === 'AWAITING_APP');
          return { started, follower };
        }),
      );
      await Promise.all(
        sessions.map(({ started }) =>
          broker.approve(started.session.activationCode, uniquePassport()),
        ),
      );

      for (const { started, follower } of sessions) {
        const events = await follower.done;
        expect(events.map((e) => e.status)).toEqual(['AWAITING_APP', 'VERIFIED']);
        const session = await a.app.services.sessions.byId(started.session.id);
        expect(session).toMatchObject({ status: 'VERIFIED', version: 2 });
      }
      const calls = writes.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
      expect(calls).toBe(users.length);
      const records = await a.app.services.models.records.countDocuments({
        username: { $in: users },
      });
      expect(records).toBe(users.length);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('ends FAILED BROKER_UNAVAILABLE after a few retries when the broker goes down', async () => {
    const t = await startTestApp(testEnv({ VERIFICATION_TTL_SECONDS: '10' }), broker);
    try {
      const started = await startRegistration(t, await bearerFor(t, 'user10'));
      const follower = followStatus(t.wsUrl, started.session.id, started.sessionToken);
      await follower.waitFor((e) => e.status === 'AWAITING_APP');
      broker.setFault('unavailable');
      const events = await follower.done;
      expect(events.map((e) => [e.status, e.reason])).toEqual([
        ['AWAITING_APP', null],
        ['FAILED', 'BROKER_UNAVAILABLE'],
      ]);
      const authReqId = (await t.app.services.sessions.byId(started.session.id))!.authReqId;
      // Backoff 2, 4, 8 s within a 10 s lifetime: a handful of polls, not one per interval.
      expect(broker.pollCount(authReqId)).toBeGreaterThanOrEqual(2);
      expect(broker.pollCount(authReqId)).toBeLessThanOrEqual(5);
      expect(await t.app.services.records.byId(started.session.id)).toMatchObject({
        outcome: 'FAILED',
        reason: 'BROKER_UNAVAILABLE',
      });

      const refused = await httpGraphQL(t.url, StartPassportRegistrationDocument, undefined, {
        authorization: await bearerFor(t, 'user10'),
      });
      expect(refused.errors![0].extensions!.code).toBe('BROKER_UNAVAILABLE');
      expect(await t.app.services.models.activationCodes.countDocuments()).toBe(0);
    } finally {
      broker.setFault('none');
      await t.close();
    }
  }, 30_000);

  it('ends FAILED DIRECTORY_UNAVAILABLE with no ACTIVE binding when AD refuses the write', async () => {
    const { samba } = testServers();
    const env = testEnv();
    // A service account that may read the directory but not write altSecurityIdentities.
    const readOnly = await startTestApp(
      { ...env, LDAP_BIND_DN: await admin.dnOf('bo'), LDAP_BIND_PASSWORD: samba.userPassword },
      broker,
    );
    const passport = uniquePassport();
    try {
      const started = await startRegistration(readOnly, await bearerFor(readOnly, 'user11'));
      const follower = followStatus(readOnly.wsUrl, started.session.id, started.sessionToken);
      await follower.waitFor((e) => e.status === 'AWAITING_APP');
      await broker.approve(started.session.activationCode, passport);
      const events = await follower.done;
      expect(events[events.length - 1]).toMatchObject({
        status: 'FAILED',
        reason: 'DIRECTORY_UNAVAILABLE',
        binding: null,
      });
      const { bindings, ownerships } = readOnly.app.services.models;
      expect(await bindings.countDocuments({ username: 'user11' })).toBe(0);
      expect(await ownerships.countDocuments()).toBe(0);
      expect(
        (await admin.altSecurityIdentities('user11')).filter((v) => v.startsWith('PASSPORT:')),
      ).toEqual([]);
    } finally {
      await readOnly.close();
    }

    // Nothing was left holding the passport: with a proper service account it registers.
    const proper = await startTestApp(env, broker);
    try {
      const started = await startRegistration(proper, await bearerFor(proper, 'user11'));
      const { final } = await approveAndFollow(proper, started, passport);
      expect(final).toMatchObject({ status: 'VERIFIED' });
      await eventually(async () =>
        (await admin.altSecurityIdentities('user11')).some((v) => v.startsWith('PASSPORT:')),
      );
    } finally {
      await proper.close();
    }
  });
});

describe('ending a session on FerretDB', () => {
  it('lets exactly one of several racing enders win, with one record and one event', async () => {
    const t = await startTestApp();
    try {
      const started = await startRegistration(t, await bearerFor(t, 'user12'));
      const session = (await t.app.services.sessions.byId(started.session.id))!;
      const published: string[] = [];
      const subscription = t.app.services.events.subscribe(session._id);
      const results = await Promise.all([
        t.app.services.sessions.end(session, 'CANCELLED', 'USER_CANCELLED'),
        t.app.services.sessions.end(session, 'EXPIRED', 'TIMED_OUT'),
        t.app.services.sessions.end(session, 'FAILED', 'BROKER_UNAVAILABLE'),
        t.app.services.sessions.end(session, 'CANCELLED', 'USER_CANCELLED'),
        t.app.services.sessions.end(session, 'EXPIRED', 'TIMED_OUT'),
        t.app.services.sessions.end(session, 'FAILED', 'BROKER_UNAVAILABLE'),
      ]);
      const winners = results.filter((r) => r !== null);
      expect(winners).toHaveLength(1);
      const next = await subscription.next();
      published.push(next.value!.status);
      await subscription.close();
      expect(published).toEqual([winners[0]!.status]);
      const stored = await t.app.services.sessions.byId(session._id);
      expect(stored!.status).toBe(winners[0]!.status);
      expect(await t.app.services.models.records.countDocuments({ _id: session._id })).toBe(1);
      expect((await t.app.services.records.byId(session._id))!.outcome).toBe(winners[0]!.status);
    } finally {
      await t.close();
    }
  });
});
