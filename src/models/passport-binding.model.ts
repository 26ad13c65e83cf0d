import { Schema, type Connection, type Model } from 'mongoose';

export const BINDING_STATUSES = [
  'PENDING',
  'ACTIVE',
  'REPLACED',
  'REVOKED',
  'DOCUMENT_EXPIRED',
] as const;
export type BindingStatus = (typeof BINDING_STATUSES)[number];

/** The passport details kept encrypted; only the masked number and a few fields are plain. */
export interface BindingDocument {
  holderName: string;
  birthdate: string;
  gender?: string;
  nationality: string;
  documentType: string;
  documentNumber: string;
  issuingCountry: string;
  dateOfExpiry: string;
}

/**
 * A passport bound to an AD account. Its _id is the id of the registration session that
 * created it, which makes every step of creating it idempotent. PENDING while the AD mirror
 * is written; never visible through the API in that state.
 */
export interface PassportBindingRecord {
  _id: string;
  accountId: string;
  username: string;
  status: BindingStatus;
  fingerprint: string;
  /** BindingDocument, encrypted with the binding's _id as context. */
  document: string;
  maskedDocumentNumber: string;
  documentType: string;
  issuingCountry: string;
  nationality: string;
  documentExpiry: string;
  verifiedAt: Date;
  replacedAt?: Date;
  replacedBy?: string;
  revokedAt?: Date;
  revokedBy?: string;
  revocationReason?: string;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<PassportBindingRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    username: { type: String, required: true },
    status: { type: String, enum: BINDING_STATUSES, required: true },
    fingerprint: { type: String, required: true },
    document: { type: String, required: true },
    maskedDocumentNumber: { type: String, required: true },
    documentType: { type: String, required: true },
    issuingCountry: { type: String, required: true },
    nationality: { type: String, required: true },
    documentExpiry: { type: String, required: true },
    verifiedAt: { type: Date, required: true },
    replacedAt: Date,
    replacedBy: String,
    revokedAt: Date,
    revokedBy: String,
    revocationReason: String,
  },
  { collection: 'passportBindings', timestamps: true, versionKey: false },
);
schema.index({ accountId: 1, status: 1 });
schema.index({ fingerprint: 1, status: 1 });
schema.index({ verifiedAt: -1 });

export type PassportBindingModel = Model<PassportBindingRecord>;

export function passportBindingModel(connection: Connection): PassportBindingModel {
  return connection.model<PassportBindingRecord>('PassportBinding', schema);
}
