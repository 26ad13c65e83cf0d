import { Schema, type Connection, type Model } from 'mongoose';

/**
 * Which account a passport belongs to, keyed by the passport's fingerprint: the database's
 * unique _id is what makes "one passport, at most one account" hold under any race.
 * It exists while the account has an ACTIVE (or PENDING) binding of that passport.
 */
export interface PassportOwnershipRecord {
  _id: string;
  accountId: string;
  /** The binding that created the claim; only that binding's failure may release it. */
  bindingId: string;
  since: Date;
}

const schema = new Schema<PassportOwnershipRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    bindingId: { type: String, required: true },
    since: { type: Date, required: true },
  },
  { collection: 'passportOwnerships', versionKey: false },
);

export type PassportOwnershipModel = Model<PassportOwnershipRecord>;

export function passportOwnershipModel(connection: Connection): PassportOwnershipModel {
  return connection.model<PassportOwnershipRecord>('PassportOwnership', schema);
}
