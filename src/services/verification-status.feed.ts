import type { VerificationSessionRecord } from '../models/verification-session.model';
import type { Metrics } from '../metrics';
import type { StatusEvent, StatusEvents } from './status-events';
import type { VerificationSessionService } from './verification-session.service';
import { isTerminal } from './verification-state';

/** While waiting for events, re-read the session this often, in case an event went astray. */
const RECHECK_MS = 5000;

/** The event that states a session's current state. */
export function eventOf(session: VerificationSessionRecord): StatusEvent {
  return {
    sessionId: session._id,
    purpose: session.purpose,
    status: session.status,
    reason: session.reason,
    at: (session.finishedAt ?? session.createdAt).toISOString(),
    version: session.version,
    bindingId: session.bindingId,
  };
}

/**
 * What a verificationStatus subscriber receives: the current state first, then every change,
 * ending after a final state. A subscriber that joins late still gets the final state.
 */
export class VerificationStatusFeed {
  constructor(
    private readonly sessions: VerificationSessionService,
    private readonly events: StatusEvents,
    private readonly metrics: Metrics,
  ) {}

  /** Checks the token (NOT_FOUND when wrong), then returns the stream of states. */
  async follow(
    sessionId: string,
    sessionToken: string,
  ): Promise<AsyncIterableIterator<StatusEvent>> {
    await this.sessions.forHolder(sessionId, sessionToken);
    // Listen before reading the current state, so no change falls between the two.
    const subscription = this.events.subscribe(sessionId);
    const stopped = new AbortController();
    const { sessions, metrics } = this;
    const generator = (async function* () {
      try {
        let seen = 0;
        let current = await sessions.byId(sessionId);
        let reread = false;
        // One outstanding read at a time: a timed-out read still delivers its event later.
        let pending: ReturnType<typeof subscription.next> | undefined;
        while (!stopped.signal.aborted) {
          if (current && current.version > seen) {
            seen = current.version;
            // A change found by re-reading means its event was lost or late (the bus is down?).
            if (reread) metrics.deliveredByReread();
            yield eventOf(current);
            if (isTerminal(current.status)) return;
          }
          pending ??= subscription.next();
          const next = await nextOrTimeout(pending, RECHECK_MS, stopped.signal);
          if (next === 'stopped') return;
          if (next === 'timeout') {
            // Only a safety net: a database that is down for a while must not end the stream.
            current = await sessions.byId(sessionId).catch(() => null);
            reread = true;
            continue;
          }
          pending = undefined;
          if (next.done) return;
          if (next.value.version > seen) {
            seen = next.value.version;
            metrics.pushed(next.value.at);
            yield next.value;
            if (isTerminal(next.value.status)) return;
          }
          current = null;
        }
      } finally {
        await subscription.close();
      }
    })();
    // A generator suspended in an await ignores return() until the await settles; a client
    // that goes away must end the wait (and its rechecks) at once.
    const iterator: AsyncIterableIterator<StatusEvent> = {
      next: () => generator.next(),
      return: async (value?: unknown) => {
        stopped.abort();
        await subscription.close();
        return generator.return(value as never);
      },
      throw: (error?: unknown) => generator.throw(error),
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}

async function nextOrTimeout<T>(
  promise: Promise<T>,
  ms: number,
  signal: AbortSignal,
): Promise<T | 'timeout' | 'stopped'> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const timeout = new Promise<'timeout'>(
    (resolve) => (timer = setTimeout(() => resolve('timeout'), ms)),
  );
  const stopped = new Promise<'stopped'>((resolve) => {
    onAbort = () => resolve('stopped');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, timeout, stopped]);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort!);
  }
}
