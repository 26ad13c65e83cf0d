import {
  startBrokerSimulator,
  type BrokerSimulator,
} from '../../src/dev/broker-simulator/broker-simulator';
import { startRedis } from '../servers/redis';
import { metric } from '../support/metrics';
import { sharedRedisEnv, startTestApp, testEnv, type TestApp } from '../support/test-app';
import { followStatus, startLogin, uniquePassport } from '../support/verification-helpers';

/**
 * With REDIS_URL, a subscriber on one instance hears at once what another instance's poller
 * saw. The push-latency histogram counts only events that arrived as events (not the feed's
 * periodic re-read of the session), so it tells which way the final state came.
 */
describe('status events across instances', () => {
  let broker: BrokerSimulator;
  beforeAll(async () => {
    broker = await startBrokerSimulator({ pollIntervalSeconds: 1 });
  });
  afterAll(() => broker.close());

  /** Two instances on one database; only `poller` polls, `listener` has the subscriber. */
  async function pair(env: NodeJS.ProcessEnv) {
    const poller = await startTestApp(env, broker);
    const listener = await startTestApp(env, broker);
    await listener.app.services.poller.stop();
    return { poller, listener, close: () => Promise.all([poller.close(), listener.close()]) };
  }

  /** A login started and followed on `listener`, its passport read while `poller` polls. */
  async function loginSeenOn(listener: TestApp) {
    const started = await startLogin(listener);
    const follower = followStatus(listener.wsUrl, started.session.id, started.sessionToken);
    await follower.waitFor((e) => e.status === 'AWAITING_APP');
    await broker.approve(started.session.activationCode, uniquePassport());
    const events = await follower.done;
    return events[events.length - 1];
  }

  it('delivers a result polled on instance B to a subscriber on instance A through Redis', async () => {
    const env = testEnv(sharedRedisEnv());
    const { poller, listener, close } = await pair(env);
    try {
      const final = await loginSeenOn(listener);
      // Nobody registered that passport: the login is refused, and the refusal is the result.
      expect(final).toMatchObject({ status: 'REJECTED', reason: 'PASSPORT_NOT_REGISTERED' });
      expect(await metric(listener, 'passport_status_push_seconds_count')).toBe(1);
      expect(await metric(listener, 'passport_status_rereads_total')).toBe(0);
      expect(await metric(poller, 'passport_status_push_seconds_count')).toBe(0);
      const ready = await fetch(`${listener.url}/readyz`);
      expect(await ready.json()).toMatchObject({ checks: { redis: 'ok' } });
    } finally {
      await close();
    }
  });

  it('without Redis, the other instance still gets the final state, by re-reading the session', async () => {
    const { listener, close } = await pair(testEnv());
    try {
      const final = await loginSeenOn(listener);
      expect(final).toMatchObject({ status: 'REJECTED', reason: 'PASSPORT_NOT_REGISTERED' });
      expect(await metric(listener, 'passport_status_push_seconds_count')).toBe(0);
      expect(await metric(listener, 'passport_status_rereads_total')).toBe(1);
    } finally {
      await close();
    }
  });

  it('keeps working when Redis goes away: final states arrive, readiness shows it and stays up', async () => {
    const redis = await startRedis();
    const { poller, listener, close } = await pair(testEnv({ REDIS_URL: redis.url }));
    try {
      await redis.stop();
      const final = await loginSeenOn(listener);
      expect(final).toMatchObject({ status: 'REJECTED', reason: 'PASSPORT_NOT_REGISTERED' });
      // Shown, but the instance stays in the load balancer: it works without Redis.
      const ready = await fetch(`${listener.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ready: true, checks: { redis: 'unavailable' } });
      expect(
        await metric(poller, 'passport_dependency_errors_total', { dependency: 'redis' }),
      ).toBeGreaterThan(0);
      expect((await fetch(`${listener.url}/healthz`)).status).toBe(200);
    } finally {
      await close();
    }
  });
});
