import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../errors';
import type { Models } from '../models';
import type { VerificationSessionRecord } from '../models/verification-session.model';
import type { AssuranceRecordRecord } from '../models/assurance-record.model';
import type { ActivationCodes } from './activation-codes';
import type { AssuranceRecordService } from './assurance-record.service';
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

/** A started session and the secret that lets its holder follow and cancel it. */
export interface StartedSession {
  session: VerificationSessionRecord;
  sessionToken: string;
}

type TerminalStatus = Exclude<VerificationStatus, 'AWAITING_APP'>;

/**
 * Verification sessions: starting one at the broker, finding it for the token's holder, and
 * the state machine's transitions, each one conditional update in MongoDB so that of two
 * racing finishers exactly one wins.
 */
export class VerificationSessionService {
  constructor(
    private readonly models: Pick<Models, 'sessions'>,
    private readonly codes: ActivationCodes,
    private readonly broker: BrokerClient,
    private readonly events: StatusEvents,
    private readonly records: AssuranceRecordService,
    private readonly ttlSeconds: number,
  ) {}

  /** Starts a session: reserves an activation code, starts the CIBA request, stores it. */
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
      broker: { authReqId: request.authReqId, intervalSeconds: request.intervalSeconds },
      nextPollAt: new Date(Math.min(now + request.intervalSeconds * 1000, expiresAt.getTime())),
      lease: { until: new Date(0) },
      brokerFailures: 0,
      accountId: account?.id,
      username: account?.username,
      clientIp,
      expiresAt,
      version: 1,
    });
    return { session: session.toObject(), sessionToken };
  }

  /** The session, if the token is its own; NOT_FOUND alike for a wrong token and a wrong id. */
  async forHolder(sessionId: string, sessionToken: string): Promise<VerificationSessionRecord> {
    const session = await this.models.sessions.findById(sessionId).lean();
    if (!session || !sessionTokenMatches(sessionToken, session.tokenHash)) {
      throw new NotFoundError('No verification session with that id and token');
    }
    return session;
  }

  async byId(sessionId: string): Promise<VerificationSessionRecord | null> {
    return this.models.sessions.findById(sessionId).lean();
  }

  /**
   * Cancels the holder's session. Once the app has delivered a result it is too late to
   * cancel: the answer is then the session as it is (it will finish on its own).
   */
  async cancel(sessionId: string, sessionToken: string): Promise<VerificationSessionRecord> {
    const session = await this.forHolder(sessionId, sessionToken);
    const cancelled = await this.finish(session, 'CANCELLED', 'USER_CANCELLED', {
      result: { $exists: false },
    });
    return cancelled ?? (await this.models.sessions.findById(sessionId).lean()) ?? session;
  }

  /**
   * Moves an open session to a terminal state if it is still open (and matches `extra`),
   * frees its activation code and tells subscribers. Null when it was already finished.
   */
  async finish(
    session: VerificationSessionRecord,
    status: TerminalStatus,
    reason: VerificationFailureReason | undefined,
    extraFilter: Record<string, unknown> = {},
    set: Partial<VerificationSessionRecord> = {},
  ): Promise<VerificationSessionRecord | null> {
    assertTransition('AWAITING_APP', status, reason);
    const finished = await this.models.sessions
      .findOneAndUpdate(
        { _id: session._id, status: 'AWAITING_APP', ...extraFilter },
        {
          $set: { ...set, status, reason, finishedAt: new Date(), lease: { until: new Date(0) } },
          $inc: { version: 1 },
        },
        { returnDocument: 'after' },
      )
      .lean();
    if (!finished) return null;
    await this.codes.release(finished.activationCode, finished._id);
    await this.record(finished);
    this.events.publish({
      sessionId: finished._id,
      status: finished.status,
      reason: finished.reason,
      at: (finished.finishedAt ?? new Date()).toISOString(),
      version: finished.version,
      bindingId: finished.bindingId,
    });
    return finished;
  }

  /** Writes the finished session's assurance record (once) and marks it written. */
  async record(session: VerificationSessionRecord): Promise<void> {
    await this.records.append(assuranceRecordOf(session));
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

/** The NSIS evidence of a finished session. */
export function assuranceRecordOf(session: VerificationSessionRecord): AssuranceRecordRecord {
  return {
    _id: session._id,
    at: session.finishedAt ?? new Date(),
    purpose: session.purpose,
    outcome: session.status as AssuranceRecordRecord['outcome'],
    reason: session.reason,
    level: session.status === 'VERIFIED' ? 'Substantial' : undefined,
    method: 'PASSPORT_APP',
    accountId: session.accountId,
    username: session.username,
    bindingId: session.bindingId,
    brokerTransactionId: session.evidence?.brokerTransactionId ?? session.broker.authReqId,
    idTokenHash: session.evidence?.idTokenHash,
    facematchLevel: session.evidence?.facematchLevel,
    documentExpiry: session.evidence?.documentExpiry,
    clientIp: session.clientIp,
  };
}
