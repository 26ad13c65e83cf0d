import { Schema, type Connection, type Model } from 'mongoose';

/**
 * An activation code in use. Keyed by the code itself, so the database refuses a second open
 * session with the same code (FerretDB has no partial unique indexes to say "among open ones").
 */
export interface ActivationCodeRecord {
  _id: string;
  sessionId: string;
  expiresAt: Date;
}

const schema = new Schema<ActivationCodeRecord>(
  {
    _id: { type: String, required: true },
    sessionId: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'activationCodes', versionKey: false },
);

export type ActivationCodeModel = Model<ActivationCodeRecord>;

export function activationCodeModel(connection: Connection): ActivationCodeModel {
  return connection.model<ActivationCodeRecord>('ActivationCode', schema);
}
