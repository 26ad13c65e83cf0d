import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { BrokerUnavailableError } from '../errors';
import type { Logger } from '../logger';
import type { Models } from '../models';
import type { VerificationSessionRecord } from '../models/verification-session.model';
import type { BrokerClient } from './broker.client';
import type { DataProtection } from './data-protection';
import type { StoredBrokerResult } from './registration.service';
import type { VerificationSessionService } from './verification-session.service';
import type { VerificationPurpose } from './verification-state';

/** Finishes a session whose broker result is stored, for one purpose. */
export type SessionCompleter = (session: VerificationSessionRecord) => Promise<void>;

export interface PollerOptions {
  /** How often the scheduler looks for due sessions. */
  tickMs?: number;
  /** How long a claimed session stays this process's; longer than one poll can take. */
  leaseMs?: number;
  /** Sessions processed at once by this process. */
  maxInFlight?: number;
}

/** Broker errors are retried after interval × 2^failures seconds, at most this long. */
const MAX_BACKOFF_SECONDS = 30;
/** CIBA: after slow_down, wait this much longer from then on. */
const SLOW_DOWN_SECONDS = 5;

/**
 * The one polling scheduler of a process. Each tick claims due sessions with a lease in the
 * session document (a conditional update, so exactly one process polls a session), asks the
 * broker once about each, and reschedules or finishes it. Sessions left by a stopped process
 * are picked up when their lease runs out, or at once when it stopped cleanly.
 */
export class VerificationPoller {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly tickMs: number;
  private readonly leaseMs: number;
  private readonly maxInFlight: number;
  private readonly inFlight = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private stopped = true;
  private ticks = 0;

  constructor(
    private readonly models: Pick<Models, 'sessions'>,
    private readonly sessions: VerificationSessionService,
    private readonly broker: BrokerClient,
    private readonly protection: DataProtection,
    private readonly completers: Partial<Record<VerificationPurpose, SessionCompleter>>,
    private readonly log: Logger,
    options: PollerOptions = {},
  ) {
    this.tickMs = options.tickMs ?? 250;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxInFlight = options.maxInFlight ?? 32;
  }

  /** Starts ticking. */
  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops claiming, lets running work finish, and hands this process's leases back. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    await Promise.allSettled([...this.inFlight]);
    await this.models.sessions
      .updateMany(
        { 'lease.owner': this.owner, status: 'AWAITING_APP' },
        { $set: { 'lease.until': new Date(0) } },
      )
      .catch((err: unknown) => this.log.warn({ err }, 'could not release poll leases'));
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick().finally(() => {
        this.ticking = undefined;
        this.schedule(this.tickMs);
      });
    }, delayMs);
  }

  private async tick(): Promise<void> {
    try {
      while (!this.stopped && this.inFlight.size < this.maxInFlight) {
        const session = await this.claim();
        if (!session) break;
        const work: Promise<void> = this.process(session)
          .catch((err: unknown) =>
            this.log.error({ err, sessionId: session._id }, 'polling a session failed'),
          )
          .finally(() => this.inFlight.delete(work));
        this.inFlight.add(work);
      }
      if (++this.ticks % 40 === 0) await this.recordForgotten();
    } catch (err) {
      this.log.warn({ err }, 'poll tick failed');
    }
  }

  /** Takes the lease of the most overdue open session nobody else holds. */
  private claim(): Promise<VerificationSessionRecord | null> {
    const now = new Date();
    return this.models.sessions
      .findOneAndUpdate(
        { status: 'AWAITING_APP', nextPollAt: { $lte: now }, 'lease.until': { $lte: now } },
        { $set: { lease: { owner: this.owner, until: new Date(now.getTime() + this.leaseMs) } } },
        { returnDocument: 'after', sort: { nextPollAt: 1 } },
      )
      .lean();
  }

  private async process(session: VerificationSessionRecord): Promise<void> {
    if (session.result) return this.complete(session);
    if (session.expiresAt.getTime() <= Date.now()) return this.expire(session);

    let answer;
    try {
      answer = await this.broker.poll(session.broker.authReqId);
    } catch (error) {
      if (!(error instanceof BrokerUnavailableError)) throw error;
      const failures = session.brokerFailures + 1;
      this.log.warn({ sessionId: session._id, failures, err: error.cause }, 'broker poll failed');
      const delay = Math.min(session.broker.intervalSeconds * 2 ** failures, MAX_BACKOFF_SECONDS);
      return this.reschedule(session, delay, { brokerFailures: failures });
    }
    switch (answer.kind) {
      case 'pending':
        return this.reschedule(session, session.broker.intervalSeconds, { brokerFailures: 0 });
      case 'slow_down': {
        const intervalSeconds = session.broker.intervalSeconds + SLOW_DOWN_SECONDS;
        return this.reschedule(session, intervalSeconds, {
          brokerFailures: 0,
          'broker.intervalSeconds': intervalSeconds,
        });
      }
      case 'denied':
        await this.sessions.finish(session, 'CANCELLED', 'USER_CANCELLED');
        return;
      case 'expired':
        await this.sessions.finish(session, 'EXPIRED', 'TIMED_OUT');
        return;
      case 'approved': {
        // The broker hands a result out once: keep it before doing anything with it.
        const stored: StoredBrokerResult = {
          claims: answer.claims,
          idTokenHash: answer.idTokenHash,
        };
        const updated = await this.models.sessions
          .findOneAndUpdate(
            { _id: session._id, status: 'AWAITING_APP', 'lease.owner': this.owner },
            {
              $set: { result: this.protection.encrypt(stored, session._id), resultAt: new Date() },
            },
            { returnDocument: 'after' },
          )
          .lean();
        if (updated) await this.complete(updated);
        return;
      }
    }
  }

  private async complete(session: VerificationSessionRecord): Promise<void> {
    const completer = this.completers[session.purpose];
    if (!completer) throw new Error(`no completer for ${session.purpose}`);
    try {
      await completer(session);
    } catch (error) {
      // Stored result, unexpected error (MongoDB hiccup): try again shortly.
      await this.reschedule(session, 2, {});
      throw error;
    }
  }

  /** At expiry: FAILED when the broker could not be reached lately, else EXPIRED. */
  private async expire(session: VerificationSessionRecord): Promise<void> {
    const noResult = { result: { $exists: false } };
    if (session.brokerFailures > 0) {
      await this.sessions.finish(session, 'FAILED', 'BROKER_UNAVAILABLE', noResult);
    } else {
      await this.sessions.finish(session, 'EXPIRED', 'TIMED_OUT', noResult);
    }
  }

  private async reschedule(
    session: VerificationSessionRecord,
    delaySeconds: number,
    set: Record<string, unknown>,
  ): Promise<void> {
    const next = Math.min(Date.now() + delaySeconds * 1000, session.expiresAt.getTime());
    await this.models.sessions.updateOne(
      { _id: session._id, status: 'AWAITING_APP', 'lease.owner': this.owner },
      { $set: { ...set, nextPollAt: new Date(next), 'lease.until': new Date(0) } },
    );
  }

  /** Writes the assurance records of sessions whose process died right after finishing them. */
  private async recordForgotten(): Promise<void> {
    for (const session of await this.sessions.unrecorded(new Date(Date.now() - 30_000))) {
      await this.sessions.record(session);
    }
  }
}
