import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../errors';
import type { Models } from '../models';
import type { SessionEndingRecord } from '../models/session-ending.model';
import type {
  SessionEvidence,
  VerificationSessionRecord,
} from '../models/verification-session.model';
import type { ActivationCodes } from './activation-codes';
import { assuranceRecordOf, type AssuranceRecordService } from './assurance-record.service';
import type { BrokerClient } from './broker.client';
import type { DirectoryAccount } from './directory.service';
import { hashSessionToken, newSessionToken, sessionTokenMatches } from './session-token';
import type { StatusEvents } from './status-events';
import {
  assertTransition,
  type VerificationFailureReason,
  type VerificationPurpose,
  type VerificationStatus,
} from './verification-state';
import { isDuplicateKey } from '../models/duplicate-key';
import type { Metrics } from '../metrics';

/** A started session and the secret that lets its holder follow and cancel it. */
export interface StartedSession {
  session: VerificationSessionRecord;
  sessionToken: string;
}

export type TerminalStatus = Exclude<VerificationStatus, 'AWAITING_APP'>;

/** What a final state carries besides status and reason. */
export interface EndingDetails {
  bindingId?: string;
  evidence?: SessionEvidence;
  accountId?: string;
  username?: string;
  login?: string;
}

/**
 * Verification sessions: starting one at the broker, finding it for its token's holder, and
 * ending it. Ending is decided by inserting the session's ending document (one insert wins
 * any race), then settled onto the session: assurance record, activation code, subscribers.
 */
export class VerificationSessionService {
  constructor(
    private readonly models: Pick<Models, 'sessions' | 'endings' | 'schedules'>,
    private readonly codes: ActivationCodes,
    private readonly broker: BrokerClient,
    private readonly events: StatusEvents,
    private readonly records: AssuranceRecordService,
    private readonly ttlSeconds: number,
    private readonly metrics: Metrics,
  ) {}

  /** Starts a session: reserves an activation code, starts the CIBA request, stores both. */
  async start(
    purpose: VerificationPurpose,
    clientIp: string,
    account?: DirectoryAccount,
  ): Promise<StartedSession> {
    const id = randomUUID();
    const sessionToken = newSessionToken();
    const now = Date.now();
    const code = await this.codes.reserve(id, new Date(now + this.ttlSeconds * 1000));
    let request;
    try {
      request = await this.broker.start(code, this.ttlSeconds);
    } catch (error) {
      await this.codes.release(code, id);
      throw error;
    }
    const expiresAt = new Date(now + Math.min(this.ttlSeconds, request.expiresInSeconds) * 1000);
    const session = await this.models.sessions.create({
      _id: id,
      purpose,
      status: 'AWAITING_APP',
      tokenHash: hashSessionToken(sessionToken),
      activationCode: code,
      qrCodeData: this.codes.link(code),
      authReqId: request.authReqId,
      accountId: account?.id,
      username: account?.username,
      clientIp,
      expiresAt,
      version: 1,
    });
    await this.models.schedules.create({
      _id: id,
      authReqId: request.authReqId,
      round: 0,
      nextPollAt: new Date(Math.min(now + request.intervalSeconds * 1000, expiresAt.getTime())),
      intervalSeconds: request.intervalSeconds,
      brokerFailures: 0,
      expiresAt,
    });
    this.metrics.sessionStarted(purpose);
    return { session: session.toObject(), sessionToken };
  }

  /** The session, if the token is its own; NOT_FOUND alike for a wrong token and a wrong id. */
  async forHolder(sessionId: string, sessionToken: string): Promise<VerificationSessionRecord> {
    const session = await this.byId(sessionId);
    if (!session || !sessionTokenMatches(sessionToken, session.tokenHash)) {
      throw new NotFoundError('No verification session with that id and token');
    }
    return session;
  }

  /** The session as it stands: a decided ending counts even before it is settled. */
  async byId(sessionId: string): Promise<VerificationSessionRecord | null> {
    const session = await this.models.sessions.findById(sessionId).lean();
    if (!session || session.status !== 'AWAITING_APP') return session;
    const ending = await this.models.endings.findById(sessionId).lean();
    return ending?.status ? withEnding(session, ending) : session;
  }

  /**
   * Cancels the holder's session. Once the app has delivered a result it is too late: the
   * answer is then the session as it is (it finishes on its own).
   */
  async cancel(sessionId: string, sessionToken: string): Promise<VerificationSessionRecord> {
    const session = await this.forHolder(sessionId, sessionToken);
    if (session.status !== 'AWAITING_APP') return session;
    return (
      (await this.end(session, 'CANCELLED', 'USER_CANCELLED')) ??
      (await this.byId(sessionId)) ??
      session
    );
  }

  /** Ends an open session unless something else ended it first (then null). */
  async end(
    session: VerificationSessionRecord,
    status: TerminalStatus,
    reason: VerificationFailureReason | undefined,
    details: EndingDetails = {},
  ): Promise<VerificationSessionRecord | null> {
    assertTransition('AWAITING_APP', status, reason);
    const now = new Date();
    const ending: SessionEndingRecord = {
      _id: session._id,
      status,
      reason,
      ...details,
      createdAt: now,
      finalAt: now,
    };
    try {
      await this.models.endings.create(ending);
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
    // The insert won: what it wrote is the ending, no need to read it back.
    return this.settle(session, ending);
  }

  /**
   * Keeps the app's result (encrypted) as the session's ending-to-be; false when the session
   * was ended first (cancelled, expired) or the result is already kept.
   */
  async keepResult(sessionId: string, encryptedResult: string): Promise<boolean> {
    try {
      await this.models.endings.create({
        _id: sessionId,
        result: encryptedResult,
        createdAt: new Date(),
      });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** The session's ending, decided or pending. */
  async ending(sessionId: string): Promise<SessionEndingRecord | null> {
    return this.models.endings.findById(sessionId).lean();
  }

  /**
   * Gives a kept result its final state. Only the poll round's lease holder calls this, so
   * it has no rival; repeating it after a crash changes nothing.
   */
  async finalize(
    session: VerificationSessionRecord,
    status: TerminalStatus,
    reason: VerificationFailureReason | undefined,
    details: EndingDetails = {},
  ): Promise<VerificationSessionRecord> {
    assertTransition('AWAITING_APP', status, reason);
    await this.models.endings.updateOne(
      { _id: session._id, status: { $exists: false } },
      { $set: { status, reason, ...details, finalAt: new Date() } },
    );
    return this.settle(session, (await this.models.endings.findById(session._id).lean())!);
  }

  /**
   * Writes a decided ending onto the session and tells everyone: the session document, the
   * assurance record, the activation code, the poll schedule and the subscribers. Idempotent,
   * so whoever finds an ending unsettled can settle it.
   */
  async settle(
    session: VerificationSessionRecord,
    ending: SessionEndingRecord,
  ): Promise<VerificationSessionRecord> {
    const settled = withEnding(session, ending);
    await this.models.sessions.updateOne(
      { _id: session._id },
      {
        $set: {
          status: settled.status,
          reason: settled.reason,
          bindingId: settled.bindingId,
          evidence: settled.evidence,
          accountId: settled.accountId,
          username: settled.username,
          login: settled.login,
          finishedAt: settled.finishedAt,
          version: settled.version,
        },
      },
    );
    // Independent bookkeeping, side by side: the subscribers wait for all of it.
    await Promise.all([
      this.codes.release(session.activationCode, session._id),
      this.record(settled),
    ]);
    // The poll schedule goes last: while it exists the poller comes back and settles again,
    // so a failed record write (a busy database) is retried in seconds, not left to the sweep.
    await this.models.schedules.deleteOne({ _id: session._id });
    this.events.publish({
      sessionId: settled._id,
      purpose: settled.purpose,
      status: settled.status,
      reason: settled.reason,
      at: settled.finishedAt!.toISOString(),
      version: settled.version,
      bindingId: settled.bindingId,
    });
    return settled;
  }

  /** Writes the finished session's assurance record (once) and marks it written. */
  async record(session: VerificationSessionRecord): Promise<void> {
    // The record is written once per session, so it is also where a finished session counts.
    if (await this.records.append(assuranceRecordOf(session))) {
      this.metrics.sessionFinished(session.purpose, session.status, session.reason);
    }
    await this.models.sessions.updateOne(
      { _id: session._id },
      { $set: { recordedAt: new Date() } },
    );
  }

  /** Finished sessions whose record was never written (the process died in between). */
  async unrecorded(olderThan: Date, limit = 50): Promise<VerificationSessionRecord[]> {
    return this.models.sessions
      .find({
        status: { $ne: 'AWAITING_APP' },
        recordedAt: { $exists: false },
        finishedAt: { $lt: olderThan },
      })
      .limit(limit)
      .lean();
  }
}

/** The session with its decided ending applied. */
function withEnding(
  session: VerificationSessionRecord,
  ending: SessionEndingRecord,
): VerificationSessionRecord {
  return {
    ...session,
    status: ending.status!,
    reason: ending.reason,
    bindingId: ending.bindingId,
    evidence: ending.evidence,
    accountId: ending.accountId ?? session.accountId,
    username: ending.username ?? session.username,
    login: ending.login,
    finishedAt: ending.finalAt ?? ending.createdAt,
    version: 2,
  };
}
