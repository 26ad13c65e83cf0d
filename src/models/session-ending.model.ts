import { Schema, type Connection, type Model } from 'mongoose';
import {
  VERIFICATION_FAILURE_REASONS,
  VERIFICATION_STATUSES,
  type VerificationFailureReason,
  type VerificationStatus,
} from '../services/verification-state';
import { EVIDENCE_FIELD, type SessionEvidence } from './verification-session.model';

/**
 * How a session ends: the source of truth for its final state. Keyed by the session id, so
 * of everyone trying to end a session (the app's result, a cancel, the expiry) exactly one
 * insert succeeds; FerretDB's conditional updates are not atomic, its unique _id is.
 * An ending with a `result` but no `status` is a passport reading still being completed.
 */
export interface SessionEndingRecord {
  _id: string;
  /** The broker's result, encrypted: the app finished and the result awaits completion. */
  result?: string;
  status?: Exclude<VerificationStatus, 'AWAITING_APP'>;
  reason?: VerificationFailureReason;
  bindingId?: string;
  evidence?: SessionEvidence;
  /** For logins: the account the passport proved, once known. */
  accountId?: string;
  username?: string;
  /** For verified logins: the LoginGrant, encrypted (it holds a bearer assertion). */
  login?: string;
  createdAt: Date;
  finalAt?: Date;
}

const schema = new Schema<SessionEndingRecord>(
  {
    _id: { type: String, required: true },
    result: String,
    status: { type: String, enum: VERIFICATION_STATUSES },
    reason: { type: String, enum: VERIFICATION_FAILURE_REASONS },
    bindingId: String,
    accountId: String,
    username: String,
    login: String,
    evidence: EVIDENCE_FIELD,
    createdAt: { type: Date, required: true },
    finalAt: Date,
  },
  { collection: 'sessionEndings', versionKey: false },
);

export type SessionEndingModel = Model<SessionEndingRecord>;

export function sessionEndingModel(connection: Connection): SessionEndingModel {
  return connection.model<SessionEndingRecord>('SessionEnding', schema);
}
