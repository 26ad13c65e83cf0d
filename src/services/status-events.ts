import { EventEmitter, on } from 'node:events';
import type {
  VerificationFailureReason,
  VerificationPurpose,
  VerificationStatus,
} from './verification-state';

/** A change of a session's state, as published to its subscribers. */
export interface StatusEvent {
  sessionId: string;
  purpose: VerificationPurpose;
  status: VerificationStatus;
  reason?: VerificationFailureReason;
  /** ISO time of the change. */
  at: string;
  /** The session's version after the change; subscribers drop what they have already seen. */
  version: number;
  bindingId?: string;
}

/** A subscription that listens from the moment it was made; close() stops it. */
export interface StatusSubscription {
  next(): Promise<IteratorResult<StatusEvent>>;
  close(): Promise<void>;
}

/** Carries events between instances (Redis); without one, events stay in this process. */
export interface StatusEventBus {
  /** Sends an event to every instance, this one included. */
  publish(event: StatusEvent): Promise<void>;
  /** Calls `deliver` for every event any instance publishes. */
  listen(deliver: (event: StatusEvent) => void): Promise<void>;
  close(): Promise<void>;
}

/**
 * Publishes session changes to whoever listens for that session: in this process, or on
 * every instance when a bus is given.
 */
export class StatusEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private readonly closers = new Set<() => void>();

  /** @param onBusFailure called when a publish through the bus failed (logged, delivered here). */
  constructor(
    private readonly bus?: StatusEventBus,
    private readonly onBusFailure: (error: unknown) => void = () => {},
  ) {}

  /** Starts hearing other instances' events (nothing to do without a bus). */
  async start(): Promise<void> {
    await this.bus?.listen((event) => this.deliver(event));
  }

  /** Tells the session's subscribers, wherever they are, about a change. */
  publish(event: StatusEvent): void {
    if (!this.bus) return this.deliver(event);
    // Without the bus this instance's subscribers still hear it; the others re-read the session.
    this.bus.publish(event).catch((error: unknown) => {
      this.onBusFailure(error);
      this.deliver(event);
    });
  }

  private deliver(event: StatusEvent): void {
    this.emitter.emit(event.sessionId, event);
  }

  /** Listens for the session's events, buffering them until read. */
  subscribe(sessionId: string): StatusSubscription {
    const abort = new AbortController();
    const iterator = on(this.emitter, sessionId, { signal: abort.signal });
    const close = () => abort.abort();
    this.closers.add(close);
    return {
      next: async () => {
        try {
          const { value, done } = await iterator.next();
          return done
            ? { value: undefined, done: true }
            : { value: value[0] as StatusEvent, done: false };
        } catch (error) {
          if ((error as Error).name === 'AbortError') return { value: undefined, done: true };
          throw error;
        }
      },
      close: async () => {
        this.closers.delete(close);
        close();
      },
    };
  }

  /** Ends every open subscription (shutdown). */
  closeAll(): void {
    for (const close of this.closers) close();
    this.closers.clear();
  }

  /** Closes the bus's connections (after closeAll, at shutdown). */
  async close(): Promise<void> {
    await this.bus?.close();
  }

  /** How many subscriptions are open. */
  get listenerCount(): number {
    return this.closers.size;
  }
}
