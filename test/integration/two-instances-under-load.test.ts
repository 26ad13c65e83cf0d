import {
  startBrokerSimulator,
  type BrokerSimulator,
} from '../../src/dev/broker-simulator/broker-simulator';
import type { PassportReaderClaims } from '../../src/dev/broker-simulator/specimen-passports';
import { sharedRedisEnv, startTestApp, testEnv, type TestApp } from '../support/test-app';
import {
  bearerFor,
  DomainAdmin,
  eventually,
  followStatus,
  registerPassport,
  startLogin,
  startRegistration,
  uniquePassport,
  type StatusFollower,
} from '../support/verification-helpers';

const REGISTRATIONS = 100;
const LOGINS = 100;
/** Accounts with a binding that the logins use, several logins each. */
const LOGIN_ACCOUNTS = 20;
const TERMINAL = new Set(['VERIFIED', 'REJECTED', 'FAILED', 'CANCELLED', 'EXPIRED']);

/** Runs `work` over the items, at most `width` at a time. */
async function inBatches<T, R>(
  items: T[],
  width: number,
  work: (item: T, i: number) => Promise<R>,
) {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i], i);
      }
    }),
  );
  return results;
}

/**
 * Two instances on one MongoDB and one Redis, 200 sessions at once: registrations and logins
 * started on both, each followed by a subscriber on each instance, both pollers running.
 * Every session ends exactly once, every subscriber hears its end exactly once (also the one
 * on the instance that did not poll it), and every registration writes AD exactly once.
 */
describe('two instances under load', () => {
  const env = testEnv({
    ...sharedRedisEnv(),
    LOG_LEVEL: 'warn',
  });
  let broker: BrokerSimulator;
  let instances: [TestApp, TestApp];

  beforeAll(async () => {
    broker = await startBrokerSimulator({ pollIntervalSeconds: 2 });
    instances = [await startTestApp(env, broker), await startTestApp(env, broker)];
  });
  afterAll(async () => {
    await Promise.all(instances.map((t) => t.close()));
    await broker.close();
  });

  it('ends 100 registrations and 100 logins exactly once each, heard once by every subscriber', async () => {
    const [a] = instances;
    const users = await new DomainAdmin().ensureUsers('load', REGISTRATIONS + LOGIN_ACCOUNTS);
    const registering = users.slice(0, REGISTRATIONS);
    const passports = new Map<string, PassportReaderClaims>();
    await inBatches(users.slice(REGISTRATIONS), 10, async (username) => {
      const passport = uniquePassport();
      await registerPassport(a, username, passport);
      passports.set(username, passport);
    });
    const loginPassports = [...passports.values()];
    const bearers = await inBatches(registering, 10, (username, i) =>
      bearerFor(instances[i % 2], username),
    );

    const writes = instances.map((t) =>
      jest.spyOn(t.app.services.directory, 'setPassportIdentity'),
    );
    const pollerOwners = instances.map((t) => t.app.services.poller.owner);
    type Run = {
      started: { session: { id: string; activationCode: string }; sessionToken: string };
      passport: PassportReaderClaims;
      purpose: 'REGISTRATION' | 'LOGIN';
      followers: StatusFollower[];
    };
    const plans = [
      ...registering.map((_, i) => ({ purpose: 'REGISTRATION' as const, i })),
      ...Array.from({ length: LOGINS }, (_, i) => ({ purpose: 'LOGIN' as const, i })),
    ];
    const runs: Run[] = await inBatches(plans, 20, async ({ purpose, i }) => {
      const on = instances[i % 2];
      const started =
        purpose === 'REGISTRATION' ? await startRegistration(on, bearers[i]) : await startLogin(on);
      const followers = instances.map((t) =>
        followStatus(t.wsUrl, started.session.id, started.sessionToken),
      );
      await Promise.all(followers.map((f) => f.waitFor((e) => e.status === 'AWAITING_APP')));
      const passport =
        purpose === 'REGISTRATION' ? uniquePassport() : loginPassports[i % LOGIN_ACCOUNTS];
      return { started, passport, purpose, followers };
    });

    // Every user finishes in the app at about the same moment.
    await Promise.all(
      runs.map((run) => broker.approve(run.started.session.activationCode, run.passport)),
    );
    const heard = await Promise.all(
      runs.map((run) => Promise.all(run.followers.map((f) => f.done))),
    );

    // Every subscriber, on either instance, got exactly one final event, and it was VERIFIED.
    for (const [index, perInstance] of heard.entries()) {
      for (const events of perInstance) {
        const finals = events.filter((e) => TERMINAL.has(e.status));
        expect({ session: index, finals: finals.map((e) => e.status) }).toEqual({
          session: index,
          finals: ['VERIFIED'],
        });
        expect(events[events.length - 1].status).toBe('VERIFIED');
      }
    }

    const { models } = a.app.services;
    const ids = runs.map((run) => run.started.session.id);
    // Exactly one terminal state each: one ending (the decision), and once the bookkeeping
    // behind it is done, one record and the session settled. A subscriber may hear the end
    // before that bookkeeping finishes (the ending is the truth), so wait for it.
    expect(await models.endings.countDocuments({ _id: { $in: ids } })).toBe(ids.length);
    const settled = {
      _id: { $in: ids },
      status: 'VERIFIED' as const,
      version: 2,
      recordedAt: { $exists: true },
    };
    await eventually(async () => (await models.sessions.countDocuments(settled)) === ids.length);
    expect(await models.records.countDocuments({ _id: { $in: ids } })).toBe(ids.length);

    // One AD write per registration, none for a login.
    const calls = writes.flatMap((spy) => spy.mock.calls.map(([dn]) => dn));
    expect(calls).toHaveLength(REGISTRATIONS);
    expect(new Set(calls).size).toBe(REGISTRATIONS);

    // Both pollers took part, so the subscriber on the other instance was real for many.
    const leases = await models.leases.find({ _id: { $regex: `^(${ids.join('|')}):` } }).lean();
    const owners = new Set(leases.map((lease) => lease.owner));
    expect(owners).toEqual(new Set(pollerOwners));
  }, 300_000);
});
