import { Schema, type Connection, type Model } from 'mongoose';

export const RECORD_PURPOSES = ['REGISTRATION', 'LOGIN', 'REVOCATION'] as const;
export const RECORD_OUTCOMES = [
  'VERIFIED',
  'REJECTED',
  'FAILED',
  'EXPIRED',
  'CANCELLED',
  'REVOKED',
] as const;

/**
 * NSIS evidence of one finished attempt (or a revocation). Append-only: the application
 * inserts and reads these and never updates or deletes one. For attempts the _id is the
 * session id, so finishing a session twice cannot write two records.
 */
export interface AssuranceRecordRecord {
  _id: string;
  at: Date;
  purpose: (typeof RECORD_PURPOSES)[number];
  outcome: (typeof RECORD_OUTCOMES)[number];
  reason?: string;
  /** The NSIS level reached: Substantial for a verified attempt, none otherwise. */
  level?: 'Substantial';
  method: 'PASSPORT_APP';
  accountId?: string;
  username?: string;
  bindingId?: string;
  brokerTransactionId?: string;
  idTokenHash?: string;
  facematchLevel?: number;
  documentExpiry?: string;
  clientIp?: string;
  /** Who acted, for revocations. */
  actor?: string;
}

const schema = new Schema<AssuranceRecordRecord>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    purpose: { type: String, enum: RECORD_PURPOSES, required: true },
    outcome: { type: String, enum: RECORD_OUTCOMES, required: true },
    reason: String,
    level: { type: String, enum: ['Substantial'] },
    method: { type: String, enum: ['PASSPORT_APP'], required: true },
    accountId: String,
    username: String,
    bindingId: String,
    brokerTransactionId: String,
    idTokenHash: String,
    facematchLevel: Number,
    documentExpiry: String,
    clientIp: String,
    actor: String,
  },
  { collection: 'assuranceRecords', versionKey: false },
);
schema.index({ accountId: 1, at: -1 });
schema.index({ at: -1 });
schema.index({ bindingId: 1 });

export type AssuranceRecordModel = Model<AssuranceRecordRecord>;

export function assuranceRecordModel(connection: Connection): AssuranceRecordModel {
  return connection.model<AssuranceRecordRecord>('AssuranceRecord', schema);
}
