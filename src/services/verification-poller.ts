import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { BrokerUnavailableError } from '../errors';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { Models } from '../models';
import type { PollScheduleRecord } from '../models/poll-schedule.model';
import type { SessionEndingRecord } from '../models/session-ending.model';
import type { VerificationSessionRecord } from '../models/verification-session.model';
import type { BrokerClient } from './broker.client';
import type { DataProtection } from './data-protection';
import type { StoredBrokerResult } from './passport-reading';
import type { TerminalStatus, VerificationSessionService } from './verification-session.service';
import type { VerificationFailureReason, VerificationPurpose } from './verification-state';
import { isDuplicateKey } from '../models/duplicate-key';
import { isDatabaseOutage } from '../models/database-outage';

/** Finishes a session whose broker result is kept in its ending, for one purpose. */
export type SessionCompleter = (
  session: VerificationSessionRecord,
  ending: SessionEndingRecord,
) => Promise<void>;

export interface PollerOptions {
  /** How often the scheduler looks for due sessions. */
  tickMs?: number;
  /** How long a claimed round stays this process's; longer than one poll can take. */
  leaseMs?: number;
  /** Sessions processed at once by this process. */
  maxInFlight?: number;
}

/** Broker errors are retried after interval × 2^failures seconds, at most this long. */
const MAX_BACKOFF_SECONDS = 30;
/** CIBA: after slow_down, wait this much longer from then on. */
const SLOW_DOWN_SECONDS = 5;
/** A stored result whose completion failed is tried again after this long. */
const RETRY_SECONDS = 2;

/**
 * The one polling scheduler of a process. Each tick reads the due poll schedules and claims
 * each one's current round by inserting a lease document (exactly one process can), asks the
 * broker once, then reschedules or ends the session. A round whose holder died is claimed
 * again one lease period later, so sessions survive restarts and crashes.
 */
export class VerificationPoller {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly tickMs: number;
  private readonly leaseMs: number;
  private readonly maxInFlight: number;
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private stopped = true;
  private ticks = 0;
  /** The last tick left due sessions behind for want of room: tick again as room frees up. */
  private backlog = false;

  constructor(
    private readonly models: Pick<Models, 'sessions' | 'schedules' | 'leases'>,
    private readonly sessions: VerificationSessionService,
    private readonly broker: BrokerClient,
    private readonly protection: DataProtection,
    private readonly completers: Partial<Record<VerificationPurpose, SessionCompleter>>,
    private readonly metrics: Metrics,
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

  /** Stops claiming and lets running work finish; unclaimed rounds are anyone's. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** With a backlog, a freed slot starts the next tick now instead of at the next interval. */
  private refill(): void {
    if (!this.backlog || this.stopped || this.ticking) return;
    this.backlog = false;
    clearTimeout(this.timer);
    this.schedule(0);
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
      const room = this.maxInFlight - this.inFlight.size;
      if (room > 0) {
        const due = await this.models.schedules
          .find({ nextPollAt: { $lte: new Date() } })
          .sort({ nextPollAt: 1 })
          .limit(room + this.inFlight.size)
          .lean();
        this.backlog = due.length > room;
        for (const schedule of due) {
          if (this.stopped || this.inFlight.size >= this.maxInFlight) break;
          if (this.inFlight.has(schedule._id)) continue;
          // Claims run side by side: one slow insert does not hold up the rest of the tick.
          const work = this.claim(schedule)
            .then(async (lease) => {
              if (!lease) return;
              try {
                await this.process(schedule);
              } catch (err) {
                this.failed(err);
                this.log.error({ err, sessionId: schedule._id }, 'polling a session failed');
                // Hand the round back at once (a busy database, say) instead of after the lease.
                await this.models.leases.deleteOne({ _id: lease }).catch(() => undefined);
              }
            })
            .catch((err: unknown) => {
              this.failed(err);
              this.log.warn({ err, sessionId: schedule._id }, 'claim failed');
            })
            .finally(() => {
              this.inFlight.delete(schedule._id);
              this.refill();
            });
          this.inFlight.set(schedule._id, work);
        }
      }
      if (++this.ticks % 40 === 0) await this.housekeeping();
    } catch (err) {
      this.failed(err);
      this.log.warn({ err }, 'poll tick failed');
    }
  }

  /** Counts a failure for want of MongoDB (other failures are only logged). */
  private failed(error: unknown): void {
    if (isDatabaseOutage(error)) this.metrics.dependencyFailed('mongodb');
  }

  /** Inserts the round's lease; its id when this process got it, else null. */
  private async claim(schedule: PollScheduleRecord): Promise<string | null> {
    const generation = Math.floor((Date.now() - schedule.nextPollAt.getTime()) / this.leaseMs);
    const id = `${schedule._id}:${schedule.round}:${generation}`;
    try {
      // The driver's insert, not mongoose's: this runs once per session per second.
      await this.models.leases.collection.insertOne({
        _id: id,
        owner: this.owner,
        at: new Date(),
      } as never);
      return id;
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
  }

  /**
   * One round: ask the broker once and act on the answer. A pending answer costs the lease
   * insert, the broker call and the reschedule; the session itself is read only when it ends.
   */
  private async process(schedule: PollScheduleRecord): Promise<void> {
    if (schedule.resultKept) return this.resume(schedule);
    if (schedule.expiresAt.getTime() <= Date.now()) return this.expire(schedule);

    let answer;
    const asked = performance.now();
    const seconds = () => (performance.now() - asked) / 1000;
    try {
      answer = await this.broker.poll(schedule.authReqId);
      this.metrics.pollAnswered(seconds(), answer.kind);
    } catch (error) {
      this.metrics.pollAnswered(seconds(), 'error');
      if (!(error instanceof BrokerUnavailableError)) throw error;
      // The broker answers invalid_grant once a result was handed out: maybe to us, before a crash.
      if (await this.sessions.ending(schedule._id)) return this.resume(schedule);
      const failures = schedule.brokerFailures + 1;
      this.log.warn({ sessionId: schedule._id, failures, err: error.cause }, 'broker poll failed');
      const delay = Math.min(schedule.intervalSeconds * 2 ** failures, MAX_BACKOFF_SECONDS);
      return this.reschedule(schedule, delay, { brokerFailures: failures });
    }
    switch (answer.kind) {
      case 'pending':
        return this.reschedule(schedule, schedule.intervalSeconds, { brokerFailures: 0 });
      case 'slow_down': {
        const intervalSeconds = schedule.intervalSeconds + SLOW_DOWN_SECONDS;
        return this.reschedule(schedule, intervalSeconds, { brokerFailures: 0, intervalSeconds });
      }
      case 'denied':
        return this.end(schedule, 'CANCELLED', 'USER_CANCELLED');
      case 'expired':
        return this.end(schedule, 'EXPIRED', 'TIMED_OUT');
      case 'approved': {
        // The broker hands a result out once: keep it before doing anything with it.
        const stored: StoredBrokerResult = {
          claims: answer.claims,
          idTokenHash: answer.idTokenHash,
        };
        if (
          await this.sessions.keepResult(
            schedule._id,
            this.protection.encrypt(stored, schedule._id),
          )
        ) {
          await this.models.schedules.updateOne(
            { _id: schedule._id },
            { $set: { resultKept: true } },
          );
        }
        return this.resume(schedule);
      }
    }
  }

  /** Ends the session, or, when something else ended it first, finishes that ending. */
  private async end(
    schedule: PollScheduleRecord,
    status: TerminalStatus,
    reason: VerificationFailureReason,
  ) {
    const session = await this.models.sessions.findById(schedule._id).lean();
    if (!session) return void (await this.models.schedules.deleteOne({ _id: schedule._id }));
    if (!(await this.sessions.end(session, status, reason))) await this.resume(schedule);
  }

  /** Carries on with a decided ending (settles it) or a kept result (completes it). */
  private async resume(schedule: PollScheduleRecord): Promise<void> {
    const [session, ending] = await Promise.all([
      this.models.sessions.findById(schedule._id).lean(),
      this.sessions.ending(schedule._id),
    ]);
    if (!session || !ending) return;
    if (ending.status) {
      await this.sessions.settle(session, ending);
      return;
    }
    const completer = this.completers[session.purpose];
    if (!completer) throw new Error(`no completer for ${session.purpose}`);
    try {
      await completer(session, ending);
    } catch (error) {
      // A kept result and an unexpected error (a MongoDB hiccup): try again shortly.
      await this.reschedule(schedule, RETRY_SECONDS, { resultKept: true });
      throw error;
    }
  }

  /** At expiry: FAILED when the broker could not be reached lately, else EXPIRED. */
  private async expire(schedule: PollScheduleRecord): Promise<void> {
    if (schedule.brokerFailures > 0) return this.end(schedule, 'FAILED', 'BROKER_UNAVAILABLE');
    return this.end(schedule, 'EXPIRED', 'TIMED_OUT');
  }

  /** Moves the schedule to its next round; only the round's lease holder writes it. */
  private async reschedule(
    schedule: PollScheduleRecord,
    delaySeconds: number,
    set: Partial<PollScheduleRecord>,
  ): Promise<void> {
    const next = Math.min(Date.now() + delaySeconds * 1000, schedule.expiresAt.getTime());
    await this.models.schedules.updateOne(
      { _id: schedule._id },
      { $set: { ...set, nextPollAt: new Date(next), round: schedule.round + 1 } },
    );
  }

  /** Records forgotten by a process that died, and leases nobody needs any more. */
  private async housekeeping(): Promise<void> {
    for (const session of await this.sessions.unrecorded(new Date(Date.now() - 30_000))) {
      await this.sessions.record(session);
    }
    await this.models.leases.deleteMany({ at: { $lt: new Date(Date.now() - 10 * this.leaseMs) } });
  }
}
