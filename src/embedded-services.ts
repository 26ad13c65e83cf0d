import type { Config, RuntimeConfig } from './config';
import { startBrokerSimulator } from './dev/broker-simulator/broker-simulator';
import { startDemoDirectory } from './dev/demo-directory';
import { startDevDatabase } from './dev/dev-database';
import type { Logger } from './logger';

/** The configuration with demo stand-ins started for every part the environment left out. */
export interface EmbeddedServices {
  config: Readonly<RuntimeConfig>;
  /** The embedded broker simulator's app page, if it was started. */
  appSimulatorUrl?: string;
  stop(): Promise<void>;
}

/** Starts the development database, demo directory and broker simulator where none is configured. */
export async function startEmbeddedServices(
  config: Readonly<Config>,
  log: Logger,
): Promise<EmbeddedServices> {
  const stops: (() => Promise<void>)[] = [];
  try {
    let { mongodbUri, ldap, ldapAdminGroupDn, broker } = config;
    let appSimulatorUrl: string | undefined;
    if (!mongodbUri) {
      const db = await startDevDatabase(log);
      stops.push(db.stop);
      mongodbUri = db.uri;
    }
    if (!ldap) {
      const directory = await startDemoDirectory(log);
      stops.push(directory.close);
      ldap = directory.config;
      ldapAdminGroupDn ??= directory.adminGroupDn;
    }
    if (!broker) {
      const simulator = await startBrokerSimulator({ log });
      stops.push(simulator.close);
      broker = {
        issuer: simulator.issuer,
        clientId: simulator.clientId,
        clientSecret: simulator.clientSecret,
      };
      appSimulatorUrl = `${simulator.issuer}/app`;
      log.info({ app: appSimulatorUrl }, 'broker simulator started');
    }
    return {
      config: Object.freeze({ ...config, mongodbUri, ldap, ldapAdminGroupDn, broker }),
      appSimulatorUrl,
      stop: async () => {
        await Promise.allSettled(stops.reverse().map((stop) => stop()));
      },
    };
  } catch (error) {
    await Promise.allSettled(stops.map((stop) => stop()));
    throw error;
  }
}
