import 'reflect-metadata';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { DEMO_USERS } from './dev/demo-directory';
import { startEmbeddedServices } from './embedded-services';
import { createLogger } from './logger';

/** Starts the service from the environment; embedded stand-ins fill what is not configured. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) console.error(`config: ${problem}`);
    process.exit(1);
  }
  const log = createLogger(config.logLevel);
  for (const key of config.generatedKeys) {
    log.warn(
      `${key} is not set: using a generated key (demo only; data and tokens die with the process)`,
    );
  }

  const embedded = await startEmbeddedServices(config, log);
  const app = await createApp(embedded.config, log, { appSimulatorUrl: embedded.appSimulatorUrl });
  const url = await app.listen();

  log.info({ url: `${url}/graphql` }, 'passport assurance service listening');
  if (!config.ldap) {
    const users = DEMO_USERS.map(
      (u) => `${u.username} / ${u.password}${u.enabled ? '' : ' (disabled)'}`,
    );
    const app = embedded.appSimulatorUrl
      ? `\n  The app (simulator): ${embedded.appSimulatorUrl}`
      : '';
    console.log(
      `\n  Demo: ${url}/\n  GraphQL: ${url}/graphql${app}\n  Demo users: ${users.join(', ')}\n`,
    );
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    await app.close();
    log.debug('service closed');
    await embedded.stop();
    log.debug('embedded services stopped');
    clearTimeout(force);
    log.info('stopped');
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  console.error('start-up failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
