import { randomInt } from 'node:crypto';
import { StartPassportLoginDocument } from '../../generated/graphql';
import {
  startBrokerSimulator,
  type BrokerSimulator,
} from '../../src/dev/broker-simulator/broker-simulator';
import { startRedis } from '../servers/redis';
import { httpGraphQL } from '../support/graphql-client';
import { metric } from '../support/metrics';
import { startTestApp, testEnv, type TestApp } from '../support/test-app';
import { testServers } from '../support/test-servers';

/**
 * With REDIS_URL the startPassportLogin limit is counted in Redis, so it holds for a client
 * across every instance; while Redis is away each instance counts on its own again.
 * Clients are told apart by X-Forwarded-For from a trusted proxy, so each test has its own.
 */
describe('the login rate limit across instances', () => {
  let broker: BrokerSimulator;
  beforeAll(async () => {
    broker = await startBrokerSimulator({ pollIntervalSeconds: 1 });
  });
  afterAll(() => broker.close());

  const limitEnv = (redisUrl: string) =>
    testEnv({
      REDIS_URL: redisUrl,
      TRUST_PROXY: '127.0.0.1/32',
      LOGIN_RATE_LIMIT_MAX: '3',
      LOGIN_RATE_LIMIT_WINDOW_SECONDS: '3600',
    });
  const someClient = () => `198.51.100.${randomInt(1, 255)}`;
  const startLoginAs = async (t: TestApp, ip: string) =>
    (
      await httpGraphQL(t.url, StartPassportLoginDocument, undefined, {
        'x-forwarded-for': ip,
      })
    ).errors?.[0]?.extensions ?? 'started';

  it('counts one client on every instance together', async () => {
    const env = limitEnv(testServers().redisUrl);
    const [a, b] = [await startTestApp(env, broker), await startTestApp(env, broker)];
    try {
      const client = someClient();
      expect(await startLoginAs(a, client)).toBe('started');
      expect(await startLoginAs(b, client)).toBe('started');
      expect(await startLoginAs(a, client)).toBe('started');
      expect(await startLoginAs(b, client)).toEqual({
        code: 'RATE_LIMITED',
        retryAfterSeconds: expect.any(Number),
      });
      expect(await startLoginAs(a, client)).toMatchObject({ code: 'RATE_LIMITED' });
      expect(await startLoginAs(a, `203.0.113.${randomInt(1, 255)}`)).toBe('started');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('falls back to counting in each instance while Redis is away', async () => {
    const redis = await startRedis();
    const env = limitEnv(redis.url);
    const [a, b] = [await startTestApp(env, broker), await startTestApp(env, broker)];
    try {
      await redis.stop();
      const client = someClient();
      for (let i = 0; i < 3; i++) expect(await startLoginAs(a, client)).toBe('started');
      expect(await startLoginAs(a, client)).toMatchObject({ code: 'RATE_LIMITED' });
      expect(await startLoginAs(b, client)).toBe('started');
      expect(
        await metric(a, 'passport_dependency_errors_total', { dependency: 'redis' }),
      ).toBeGreaterThan(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
