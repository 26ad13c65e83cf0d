import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { adminPage } from './admin-page';
import { apiOverhead } from './api-overhead';
import { startEnvironment } from './environment';
import { publish, type Row } from './report';
import { resources } from './resources';
import { signIn } from './sign-in';
import { startRedis } from '../test/servers/redis';
import { loginPush, registrationRate } from './status-push';

/** npm run bench: every benchmark beside its baseline, on servers it starts itself. */
async function main(): Promise<void> {
  // 1,000 is the brief's figure, but on FerretDB (SQLite: one writer, busy waits) 300 push
  // sessions already take minutes; 100 keeps the run inside its budget. BENCH_SESSIONS=1000
  // runs the full size.
  const sessions = Number(process.env.BENCH_SESSIONS ?? 100);
  const seconds = Number(process.env.BENCH_SECONDS ?? 3);
  const started = performance.now();
  const env = await startEnvironment(Math.max(sessions, 120));
  const rows: Row[] = [];
  // BENCH_ONLY=api,sign-in runs just those (for profiling one with node --cpu-prof).
  const only = process.env.BENCH_ONLY?.split(',');
  const step = async (name: string, run: () => Promise<Row[]>) => {
    if (only && !only.some((o) => name.startsWith(o))) return;
    const t0 = performance.now();
    process.stdout.write(`${name}… `);
    rows.push(...(await run()));
    process.stdout.write(`${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  };
  try {
    await step('api overhead', () => apiOverhead(env, seconds));
    await step('sign-in', () => signIn(env, seconds));
    await step('admin page', () => adminPage(env, 20));
    await step('resources', () => resources(env, [1000, 5000]));
    await step('status push (logins)', () => loginPush(env, sessions));
    await step('status push across instances', async () => {
      const redis = await startRedis();
      try {
        return await loginPush(env, sessions, redis.url);
      } finally {
        await redis.stop();
      }
    });
    await step('registrations', () => registrationRate(env, sessions));
  } finally {
    await env.stop();
  }
  publish(rows, [
    `Database: ${env.database.kind}; directory: the embedded demo directory (ldapjs over LDAPS); broker: the simulator.`,
    `Whole run: ${((performance.now() - started) / 1000).toFixed(0)} s, ${sessions} sessions for the push benchmarks.`,
  ]);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
