import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startDevDatabase } from '../../src/dev/dev-database';
import { createLogger } from '../../src/logger';
import { startRedis } from '../servers/redis';
import { startSambaAd } from '../servers/samba-ad';
import { TEST_SERVERS_FILE, type TestServers } from './test-servers';

declare global {
  var __testServerStops: (() => Promise<void>)[] | undefined;
}

/** Runs an npm script in the project; rejects with its output when it fails. */
function npmRun(script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'npm',
      ['run', script],
      { cwd: join(__dirname, '..', '..') },
      (error, stdout, stderr) =>
        error ? reject(new Error(`npm run ${script} failed:\n${stdout}${stderr}`)) : resolve(),
    );
  });
}

/** Starts the real servers once per test run (MongoDB-compatible, Samba AD, Redis) and builds. */
export default async function globalSetup(): Promise<void> {
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const started = Date.now();
  const stops: (() => Promise<void>)[] = [];
  globalThis.__testServerStops = stops;

  const database = process.env.MONGODB_URI
    ? Promise.resolve({ uri: process.env.MONGODB_URI, kind: 'MONGODB_URI', stop: async () => {} })
    : startDevDatabase(log);
  // The service (dist/, for the tests that run `node dist/main.js`) and the web pages' scripts
  // are built once per run, while the servers start.
  const build = npmRun('build');
  const [db, samba, redis] = await Promise.allSettled([database, startSambaAd(), startRedis()]);
  for (const started of [db, samba, redis]) {
    if (started.status === 'fulfilled') stops.push(started.value.stop);
  }
  if (db.status === 'rejected' || samba.status === 'rejected' || redis.status === 'rejected') {
    await Promise.allSettled(stops.map((stop) => stop()));
    throw [db, samba, redis].map((r) => r.status === 'rejected' && r.reason).find(Boolean);
  }
  await build;

  const servers: TestServers = {
    mongoUri: db.value.uri,
    mongoKind: db.value.kind,
    samba: samba.value.info,
    redisUrl: redis.value.url,
  };
  mkdirSync(dirname(TEST_SERVERS_FILE), { recursive: true });
  writeFileSync(TEST_SERVERS_FILE, JSON.stringify(servers, null, 2));
  process.stdout.write(
    `\ntest servers: ${db.value.kind} at ${db.value.uri}, Samba AD DC at ${samba.value.info.ldapsUrl} ` +
      `and Redis at ${redis.value.url} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
  );
}
