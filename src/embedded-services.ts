import type { Config, RuntimeConfig } from './config';
import { startDemoDirectory } from './dev/demo-directory';
import { startDevDatabase } from './dev/dev-database';
import type { Logger } from './logger';

/** The configuration with demo stand-ins started for every part the environment left out. */
export interface EmbeddedServices {
  config: Readonly<RuntimeConfig>;
  stop(): Promise<void>;
}

/** Starts the development database and demo directory where the configuration has none. */
export async function startEmbeddedServices(
  config: Readonly<Config>,
  log: Logger,
): Promise<EmbeddedServices> {
  const stops: (() => Promise<void>)[] = [];
  try {
    let { mongodbUri, ldap, ldapAdminGroupDn } = config;
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
    return {
      config: Object.freeze({ ...config, mongodbUri, ldap, ldapAdminGroupDn }),
      stop: async () => {
        await Promise.allSettled(stops.reverse().map((stop) => stop()));
      },
    };
  } catch (error) {
    await Promise.allSettled(stops.map((stop) => stop()));
    throw error;
  }
}
