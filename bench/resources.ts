import { randomUUID } from 'node:crypto';
import type { BrokerClient } from '../src/services/broker.client';
import type { Environment } from './environment';
import { post } from './load';
import type { Row } from './report';
import { startSubscribers } from './subscribers';

const START = `mutation { startPassportLogin { sessionToken session { id } } }`;

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Starts `count` login sessions through the API, 32 at a time. */
export async function startSessions(
  url: string,
  count: number,
): Promise<{ id: string; token: string }[]> {
  const sessions: { id: string; token: string }[] = [];
  const next = async (): Promise<void> => {
    while (sessions.length < count) {
      const data = (await post(`${url}/graphql`, START)) as {
        startPassportLogin: { sessionToken: string; session: { id: string } };
      };
      sessions.push({
        id: data.startPassportLogin.session.id,
        token: data.startPassportLogin.sessionToken,
      });
    }
  };
  await Promise.all(Array.from({ length: 32 }, next));
  return sessions.slice(0, count);
}

/** Benchmark 4: memory per open subscription, and CPU per poll. */
export async function resources(env: Environment, counts: number[]): Promise<Row[]> {
  let polls = 0;
  // A broker that always answers "pending", so only our polling costs CPU.
  const broker = {
    start: async () => ({ authReqId: randomUUID(), expiresInSeconds: 600, intervalSeconds: 1 }),
    poll: async () => {
      polls++;
      return { kind: 'pending' };
    },
    ping: async () => undefined,
  } as unknown as BrokerClient;
  const { app, url } = await env.app({ VERIFICATION_TTL_SECONDS: '600' }, { ports: { broker } });
  await app.services.poller.stop();
  const rows: Row[] = [];
  const all = await startSessions(url, Math.max(...counts));
  for (const count of counts) {
    const before = heapAfterGc();
    const subscribers = startSubscribers(
      `${url.replace('http', 'ws')}/graphql`,
      all.slice(0, count),
    );
    await subscribers.ready;
    const perSubscription = (heapAfterGc() - before) / count;
    await subscribers.close();
    rows.push({
      name: `Memory per open subscription (N = ${count})`,
      ours: `${(perSubscription / 1024).toFixed(1)} KB (heap delta / N)`,
      baseline: '—',
      result: `${(perSubscription / 1024).toFixed(1)} KB`,
      target: '≤ 30 KB',
      met: perSubscription <= 30 * 1024,
    });
  }

  // CPU per poll: the poller alone, with every session due once a second.
  app.services.poller.start();
  await new Promise((r) => setTimeout(r, 2000));
  polls = 0;
  const cpu0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, 8000));
  const cpu = process.cpuUsage(cpu0);
  await app.services.poller.stop();
  const perPoll = (cpu.user + cpu.system) / Math.max(polls, 1);
  rows.push({
    name: `CPU per poll (${all.length} open sessions)`,
    ours: `${(perPoll / 1000).toFixed(2)} ms CPU per poll, ${(polls / 8).toFixed(0)} polls/s`,
    baseline: '—',
    result: `${(perPoll / 1000).toFixed(2)} ms`,
    target: 'measured only',
    met: true,
  });
  return rows;
}
