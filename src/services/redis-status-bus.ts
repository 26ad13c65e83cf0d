import { Redis } from 'ioredis';
import type { Logger } from '../logger';
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
  private readonly publisher: Redis;
  private readonly subscriber: Redis;

  /** @param onError called for every Redis error (for the metrics); the client reconnects itself. */
  constructor(
    url: string,
    private readonly log: Logger,
    onError: () => void,
  ) {
    // A publish while disconnected fails at once (the caller delivers locally) instead of queueing.
    this.publisher = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.subscriber = new Redis(url, { maxRetriesPerRequest: null });
    for (const [role, client] of [
      ['publisher', this.publisher],
      ['subscriber', this.subscriber],
    ] as const) {
      client.on('error', (err: Error) => {
        onError();
        log.warn({ err, role }, 'Redis error');
      });
    }
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
    const subscribed = this.subscriber.subscribe(STATUS_CHANNEL).then(() => 'subscribed' as const);
    const waited = new Promise<'waited'>((resolve) => {
      timer = setTimeout(() => resolve('waited'), SUBSCRIBE_WAIT_MS);
    });
    subscribed.catch((err: unknown) => this.log.error({ err }, 'Redis subscribe failed'));
    const outcome = await Promise.race([subscribed.catch(() => 'failed' as const), waited]);
    clearTimeout(timer);
    if (outcome !== 'subscribed') {
      this.log.warn('Redis is not reachable yet; status events from other instances arrive late');
    }
  }

  /** Answers when Redis does (readiness). */
  async ping(): Promise<void> {
    await this.publisher.ping();
  }

  /** Closes both connections. */
  async close(): Promise<void> {
    await Promise.allSettled(
      [this.publisher, this.subscriber].map((client) =>
        client.quit().catch(() => client.disconnect()),
      ),
    );
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
