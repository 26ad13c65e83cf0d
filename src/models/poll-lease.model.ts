import { Schema, type Connection, type Model } from 'mongoose';

/**
 * The right to poll one session for one round: `<sessionId>:<round>:<generation>`. Inserting
 * it is the claim; the unique _id lets exactly one process have it. The generation counts
 * lease periods since the round fell due, so a round whose holder died is claimed afresh.
 */
export interface PollLeaseRecord {
  _id: string;
  owner: string;
  at: Date;
}

const schema = new Schema<PollLeaseRecord>(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'pollLeases', versionKey: false },
);
schema.index({ at: 1 });

export type PollLeaseModel = Model<PollLeaseRecord>;

export function pollLeaseModel(connection: Connection): PollLeaseModel {
  return connection.model<PollLeaseRecord>('PollLease', schema);
}
