import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createApp, type App, type AppOptions } from '../src/app';
import { loadConfig, type RuntimeConfig } from '../src/config';
import {
  startBrokerSimulator,
  type BrokerSimulator,
} from '../src/dev/broker-simulator/broker-simulator';
import {
  DEMO_USERS,
  startDemoDirectory,
  type DemoDirectory,
  type DemoUser,
} from '../src/dev/demo-directory';
import { startDevDatabase, type DevDatabase } from '../src/dev/dev-database';
import { createLogger } from '../src/logger';

/** Extra directory users for the benchmarks: bench0001…, all with one password. */
export const BENCH_PASSWORD = 'Bench-Passw0rd!';
export function benchUsers(count: number): DemoUser[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    return {
      username: `bench${n}`,
      fullName: `Bench User ${n}`,
      password: BENCH_PASSWORD,
      enabled: true,
    };
  });
}

/** The servers every benchmark shares, started once. */
export interface Environment {
  database: DevDatabase;
  directory: DemoDirectory;
  broker: BrokerSimulator;
  /** Builds and starts an app on these servers with its own database. */
  app(
    env?: Record<string, string>,
    options?: AppOptions,
  ): Promise<{ app: App; url: string; config: RuntimeConfig }>;
  stop(): Promise<void>;
}

const log = createLogger('error');
const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

export async function startEnvironment(userCount: number): Promise<Environment> {
  const database = await startDevDatabase(log);
  const directory = await startDemoDirectory(log, [...DEMO_USERS, ...benchUsers(userCount)]);
  const broker = await startBrokerSimulator({ pollIntervalSeconds: 1 });
  const apps: App[] = [];
  return {
    database,
    directory,
    broker,
    async app(env = {}, options = {}) {
      const uri = new URL(database.uri);
      uri.pathname = `/bench_${randomBytes(4).toString('hex')}`;
      const config = loadConfig({
        MONGODB_URI: uri.toString(),
        LDAP_URL: directory.config.url,
        LDAP_BIND_DN: directory.config.bindDn,
        LDAP_BIND_PASSWORD: directory.config.bindPassword,
        LDAP_BASE_DN: directory.config.baseDn,
        LDAP_ADMIN_GROUP_DN: directory.adminGroupDn,
        BROKER_ISSUER: broker.issuer,
        BROKER_CLIENT_ID: broker.clientId,
        BROKER_CLIENT_SECRET: broker.clientSecret,
        DATA_KEY: randomBytes(32).toString('base64'),
        SIGNING_KEY: signingKey,
        WEB_PAGES: 'false',
        LOGIN_RATE_LIMIT_MAX: '100000',
        LOG_LEVEL: 'error',
        ...env,
      }) as RuntimeConfig;
      // The CA travels in the config object, not in a file.
      const runtime = {
        ...config,
        ldap: { ...config.ldap, ca: directory.config.ca },
      } as RuntimeConfig;
      const app = await createApp(runtime, log, options);
      apps.push(app);
      const url = await app.listen(0, '127.0.0.1');
      await app.mongo.asPromise();
      return { app, url, config: runtime };
    },
    async stop() {
      await Promise.allSettled(apps.map((a) => a.close()));
      await broker.close();
      await directory.close();
      await database.stop();
    },
  };
}
