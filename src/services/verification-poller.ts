import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { BrokerUnavailableError } from '../errors';
import type { Logger } from '../logger';
import type { Models } from '../models';
import type { PollScheduleRecord } from '../models/poll-schedule.model';
import type { SessionEndingRecord } from '../models/session-ending.model';
import type { VerificationSessionRecord } from '../models/verification-session.model';
import type { BrokerClient } from './broker.client';
import type { DataProtection } from './data-protection';
import type { StoredBrokerResult } from './passport-reading';
import type { VerificationSessionService } from './verification-session.service';
import type { VerificationPurpose } from './verification-state';
import { isDuplicateKey } from '../models/duplicate-key';

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

  constructor(
    private readonly models: Pick<Models, 'sessions' | 'schedules' | 'leases'>,
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

  /** Stops claiming and lets running work finish; unclaimed rounds are anyone's. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    await Promise.allSettled([...this.inFlight.values()]);
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
        for (const schedule of due) {
          if (this.stopped || this.inFlight.size >= this.maxInFlight) break;
          if (this.inFlight.has(schedule._id) || !(await this.claim(schedule))) continue;
          const work = this.process(schedule)
            .catch((err: unknown) =>
              this.log.error({ err, sessionId: schedule._id }, 'polling a session failed'),
            )
            .finally(() => this.inFlight.delete(schedule._id));
          this.inFlight.set(schedule._id, work);
        }
      }
      if (++this.ticks % 40 === 0) await this.housekeeping();
    } catch (err) {
      this.log.warn({ err }, 'poll tick failed');
    }
  }

  /** Inserts the round's lease; true when this process got it. */
  private async claim(schedule: PollScheduleRecord): Promise<boolean> {
    const generation = Math.floor((Date.now() - schedule.nextPollAt.getTime()) / this.leaseMs);
    try {
      await this.models.leases.create({
        _id: `${schedule._id}:${schedule.round}:${generation}`,
        owner: this.owner,
        at: new Date(),
      });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  private async process(schedule: PollScheduleRecord): Promise<void> {
    const session = await this.models.sessions.findById(schedule._id).lean();
    if (!session) {
      await this.models.schedules.deleteOne({ _id: schedule._id });
      return;
    }
    const ending = await this.sessions.ending(session._id);
    if (ending?.status) {
      await this.sessions.settle(session, ending); // ended elsewhere, not yet settled
      return;
    }
    if (ending?.result) return this.complete(session, ending, schedule);
    if (schedule.expiresAt.getTime() <= Date.now()) return this.expire(session, schedule);

    let answer;
    try {
      answer = await this.broker.poll(schedule.authReqId);
    } catch (error) {
      if (!(error instanceof BrokerUnavailableError)) throw error;
      const failures = schedule.brokerFailures + 1;
      this.log.warn({ sessionId: session._id, failures, err: error.cause }, 'broker poll failed');
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
        await this.sessions.end(session, 'CANCELLED', 'USER_CANCELLED');
        return;
      case 'expired':
        await this.sessions.end(session, 'EXPIRED', 'TIMED_OUT');
        return;
      case 'approved': {
        // The broker hands a result out once: keep it before doing anything with it.
        const stored: StoredBrokerResult = {
          claims: answer.claims,
          idTokenHash: answer.idTokenHash,
        };
        if (
          await this.sessions.keepResult(session._id, this.protection.encrypt(stored, session._id))
        ) {
          await this.complete(session, (await this.sessions.ending(session._id))!, schedule);
        }
        return;
      }
    }
  }

  private async complete(
    session: VerificationSessionRecord,
    ending: SessionEndingRecord,
    schedule: PollScheduleRecord,
  ): Promise<void> {
    const completer = this.completers[session.purpose];
    if (!completer) throw new Error(`no completer for ${session.purpose}`);
    try {
      await completer(session, ending);
    } catch (error) {
      // A kept result and an unexpected error (a MongoDB hiccup): try again shortly.
      await this.reschedule(schedule, RETRY_SECONDS, {});
      throw error;
    }
  }

  /** At expiry: FAILED when the broker could not be reached lately, else EXPIRED. */
  private async expire(
    session: VerificationSessionRecord,
    schedule: PollScheduleRecord,
  ): Promise<void> {
    if (schedule.brokerFailures > 0) {
      await this.sessions.end(session, 'FAILED', 'BROKER_UNAVAILABLE');
    } else {
      await this.sessions.end(session, 'EXPIRED', 'TIMED_OUT');
    }
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
