import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createApp, type App } from '../../src/app';
import {
  startBrokerSimulator,
  type BrokerSimulator,
} from '../../src/dev/broker-simulator/broker-simulator';
import { loadConfig, type RuntimeConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { testServers } from './test-servers';

/** A running app on a loopback port with its captured log lines. */
export interface TestApp {
  app: App;
  /** The broker simulator this app talks to (its own, unless BROKER_ISSUER was given). */
  broker: BrokerSimulator;
  url: string;
  wsUrl: string;
  config: RuntimeConfig;
  /** Every log line the app wrote, as raw JSON text. */
  logs: string[];
  close(): Promise<void>;
}

const TEST_SIGNING_KEY = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

/** The environment that points an app at this run's servers; tests override single values. */
export function testEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const { mongoUri, samba } = testServers();
  const dbName = `test_${randomBytes(6).toString('hex')}`;
  const uri = new URL(mongoUri);
  uri.pathname = `/${dbName}`;
  return {
    MONGODB_URI: uri.toString(),
    LDAP_URL: samba.ldapsUrl,
    LDAP_BIND_DN: samba.serviceDn,
    LDAP_BIND_PASSWORD: samba.servicePassword,
    LDAP_BASE_DN: samba.baseDn,
    LDAP_CA_FILE: samba.caFile,
    LDAP_ADMIN_GROUP_DN: samba.adminGroupDn,
    DATA_KEY: randomBytes(32).toString('base64'),
    SIGNING_KEY: TEST_SIGNING_KEY,
    LOG_LEVEL: 'debug',
    ...overrides,
  };
}

/**
 * Settings for an app on the run's shared Redis. With Redis the login rate limit is counted
 * there, per client address, and every test file's logins come from 127.0.0.1: so the limit is
 * lifted here, and the test of the limit itself uses client addresses of its own.
 */
export function sharedRedisEnv(): Record<string, string> {
  return { REDIS_URL: testServers().redisUrl, LOGIN_RATE_LIMIT_MAX: '100000' };
}

/**
 * Builds a fresh app from an environment (testEnv by default) and starts it on `port`
 * (a free one by default; a given one to play a restart of the same address).
 */
export async function startTestApp(
  env: NodeJS.ProcessEnv = testEnv(),
  broker?: BrokerSimulator,
  port = 0,
): Promise<TestApp> {
  const ownBroker = broker ? undefined : await startBrokerSimulator({ pollIntervalSeconds: 1 });
  const simulator = (broker ?? ownBroker)!;
  const config = loadConfig({
    BROKER_ISSUER: simulator.issuer,
    BROKER_CLIENT_ID: simulator.clientId,
    BROKER_CLIENT_SECRET: simulator.clientSecret,
    ...env,
  }) as RuntimeConfig;
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const app = await createApp(config, createLogger(config.logLevel, sink), {
    appSimulatorUrl: `${simulator.issuer}/app`,
  });
  const url = await app.listen(port, '127.0.0.1');
  return {
    app,
    broker: simulator,
    url,
    wsUrl: `${url.replace(/^http/, 'ws')}/graphql`,
    config,
    logs,
    close: async () => {
      await app.close();
      await ownBroker?.close();
    },
  };
}
