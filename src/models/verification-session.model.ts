import { Schema, type Connection, type Model } from 'mongoose';
import {
  VERIFICATION_FAILURE_REASONS,
  VERIFICATION_PURPOSES,
  VERIFICATION_STATUSES,
  type VerificationFailureReason,
  type VerificationPurpose,
  type VerificationStatus,
} from '../services/verification-state';

/** Evidence of a passport reading, kept on the finished session for its assurance record. */
export interface SessionEvidence {
  brokerTransactionId: string;
  idTokenHash?: string;
  facematchLevel?: number;
  documentExpiry?: string;
}

/** The schema of SessionEvidence, shared by sessions and their endings. */
export const EVIDENCE_FIELD = {
  type: {
    brokerTransactionId: String,
    idTokenHash: String,
    facematchLevel: Number,
    documentExpiry: String,
  },
  required: false,
  _id: false,
};

/**
 * One verification attempt (DESIGN.md §3, §7). Written when it starts and when its ending is
 * settled; the ending itself is decided in sessionEndings, and polling lives in pollSchedules.
 */
export interface VerificationSessionRecord {
  _id: string;
  purpose: VerificationPurpose;
  status: VerificationStatus;
  reason?: VerificationFailureReason;
  /** SHA-256 of the session token; the token itself is never stored. */
  tokenHash: string;
  activationCode: string;
  qrCodeData: string;
  /** The broker's handle of the CIBA request (its transaction id). */
  authReqId: string;
  accountId?: string;
  username?: string;
  clientIp: string;
  expiresAt: Date;
  bindingId?: string;
  /** For verified logins: the LoginGrant, encrypted (it holds a bearer assertion). */
  login?: string;
  /** What the assurance record of the finished attempt states about the reading. */
  evidence?: SessionEvidence;
  /** Set once the assurance record is written; a finished session without it gets one. */
  recordedAt?: Date;
  /** 1 while open, 2 once final: subscribers drop a state they have seen. */
  version: number;
  finishedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<VerificationSessionRecord>(
  {
    _id: { type: String, required: true },
    purpose: { type: String, enum: VERIFICATION_PURPOSES, required: true },
    status: { type: String, enum: VERIFICATION_STATUSES, required: true },
    reason: { type: String, enum: VERIFICATION_FAILURE_REASONS },
    tokenHash: { type: String, required: true },
    activationCode: { type: String, required: true },
    qrCodeData: { type: String, required: true },
    authReqId: { type: String, required: true },
    accountId: String,
    username: String,
    clientIp: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    bindingId: String,
    login: String,
    evidence: EVIDENCE_FIELD,
    recordedAt: Date,
    version: { type: Number, required: true },
    finishedAt: Date,
  },
  { collection: 'verificationSessions', timestamps: true, versionKey: false },
);
// The repair sweep: finished sessions without an assurance record.
schema.index({ status: 1, recordedAt: 1 });

export type VerificationSessionModel = Model<VerificationSessionRecord>;

/** The model on the app's own connection (no global mongoose models). */
export function verificationSessionModel(connection: Connection): VerificationSessionModel {
  return connection.model<VerificationSessionRecord>('VerificationSession', schema);
}
