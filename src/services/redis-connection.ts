import { Redis } from 'ioredis';
import type { Logger } from '../logger';

/**
 * The instance's Redis command connection (REDIS_URL). A command sent while Redis is
 * unreachable fails at once instead of queueing, so callers fall back straight away; the
 * client reconnects by itself. `onError` is called for every connection error (metrics).
 */
export function connectRedis(url: string, log: Logger, onError: () => void): Redis {
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  watchErrors(client, 'commands', log, onError);
  return client;
}

/** Logs and counts a client's errors (an unhandled 'error' event would end the process). */
export function watchErrors(client: Redis, role: string, log: Logger, onError: () => void): void {
  client.on('error', (err: Error) => {
    onError();
    log.warn({ err, role }, 'Redis error');
  });
}

/** Closes a connection politely, or at once when Redis is not there to answer. */
export async function closeRedis(client: Redis): Promise<void> {
  await client.quit().catch(() => client.disconnect());
}
