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

/** One verification attempt (DESIGN.md §3, §7). */
export interface VerificationSessionRecord {
  _id: string;
  purpose: VerificationPurpose;
  status: VerificationStatus;
  reason?: VerificationFailureReason;
  /** SHA-256 of the session token; the token itself is never stored. */
  tokenHash: string;
  activationCode: string;
  qrCodeData: string;
  broker: { authReqId: string; intervalSeconds: number };
  /** When the poller should next ask the broker (never later than expiresAt). */
  nextPollAt: Date;
  /** Which instance polls the session, until when; only the holder may poll or finish it. */
  lease: { owner?: string; until: Date };
  /** Consecutive failed broker calls; at expiry a session whose last poll failed is FAILED. */
  brokerFailures: number;
  accountId?: string;
  username?: string;
  clientIp: string;
  expiresAt: Date;
  /** The broker's result, encrypted, stored before anything is done with it. */
  result?: string;
  resultAt?: Date;
  bindingId?: string;
  /** What the assurance record of the finished attempt states about the reading. */
  evidence?: SessionEvidence;
  /** Set once the assurance record is written; a finished session without it gets one. */
  recordedAt?: Date;
  /** Increases with every change a subscriber should see. */
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
    broker: {
      authReqId: { type: String, required: true },
      intervalSeconds: { type: Number, required: true },
    },
    nextPollAt: { type: Date, required: true },
    lease: { owner: String, until: { type: Date, required: true } },
    brokerFailures: { type: Number, default: 0 },
    accountId: String,
    username: String,
    clientIp: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    result: String,
    resultAt: Date,
    bindingId: String,
    evidence: {
      type: {
        brokerTransactionId: String,
        idTokenHash: String,
        facematchLevel: Number,
        documentExpiry: String,
      },
      required: false,
    },
    recordedAt: Date,
    version: { type: Number, required: true },
    finishedAt: Date,
  },
  { collection: 'verificationSessions', timestamps: true, versionKey: false },
);
// The poller's query: open sessions by the time they are due.
schema.index({ status: 1, nextPollAt: 1 });

export type VerificationSessionModel = Model<VerificationSessionRecord>;

/** The model on the app's own connection (no global mongoose models). */
export function verificationSessionModel(connection: Connection): VerificationSessionModel {
  return connection.model<VerificationSessionRecord>('VerificationSession', schema);
}
