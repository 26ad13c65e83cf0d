import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { closeRedis, watchErrors } from './redis-connection';
import type { StatusEvent, StatusEventBus } from './status-events';

/** One channel for every session: each instance filters for the sessions it has subscribers for. */
export const STATUS_CHANNEL = 'passport-assurance:verification-status';

/** How long start-up waits for the first subscription before going on without it. */
const SUBSCRIBE_WAIT_MS = 3000;

/**
 * Status events through Redis pub/sub, so that a subscriber on one instance hears what another
 * instance's poller saw. Pub/sub delivers at most once and only to connected instances; the
 * status feed's periodic re-read of the session covers a message lost in a Redis outage, and
 * its version check drops a message that arrives twice.
 */
export class RedisStatusBus implements StatusEventBus {
  private readonly subscriber: Redis;

  /**
   * @param publisher the instance's command connection (see redis-connection.ts)
   * @param onError called for every Redis error (metrics); the clients reconnect themselves.
   */
  constructor(
    private readonly publisher: Redis,
    private readonly log: Logger,
    onError: () => void,
  ) {
    // A subscribed connection can do nothing else; while Redis is away its SUBSCRIBE waits.
    this.subscriber = publisher.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    watchErrors(this.subscriber, 'subscriber', log, onError);
  }

  /** Sends the event to every instance, this one included. */
  async publish(event: StatusEvent): Promise<void> {
    await this.publisher.publish(STATUS_CHANNEL, JSON.stringify(event));
  }

  /** Subscribes; resolves once subscribed, or after a short wait while Redis is unreachable. */
  async listen(deliver: (event: StatusEvent) => void): Promise<void> {
    this.subscriber.on('message', (_channel: string, message: string) => {
      const event = parseEvent(message);
      if (event) deliver(event);
      else this.log.warn('ignored a malformed status event from Redis');
    });
    let timer: NodeJS.Timeout | undefined;
    const subscribed = this.subscriber.subscribe(STATUS_CHANNEL).then(
      () => 'subscribed' as const,
      (err: unknown) => {
        this.log.error({ err }, 'Redis subscribe failed');
        return 'failed' as const;
      },
    );
    const waited = new Promise<'waited'>((resolve) => {
      timer = setTimeout(() => resolve('waited'), SUBSCRIBE_WAIT_MS);
    });
    const outcome = await Promise.race([subscribed, waited]);
    clearTimeout(timer);
    if (outcome !== 'subscribed') {
      this.log.warn('Redis is not reachable yet; status events from other instances arrive late');
    }
  }

  /** Closes the subscriber connection (the command connection belongs to the caller). */
  async close(): Promise<void> {
    await closeRedis(this.subscriber);
  }
}

/** A StatusEvent from the wire, or null when the message is not one. */
function parseEvent(message: string): StatusEvent | null {
  try {
    const value = JSON.parse(message) as Partial<StatusEvent>;
    const valid =
      typeof value.sessionId === 'string' &&
      typeof value.status === 'string' &&
      typeof value.version === 'number' &&
      typeof value.at === 'string';
    return valid ? (value as StatusEvent) : null;
  } catch {
    return null;
  }
}
