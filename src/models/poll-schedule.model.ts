import { Schema, type Connection, type Model } from 'mongoose';

/**
 * When and how to ask the broker about an open session. Written only by the holder of the
 * current round's lease, and deleted when the session ends, so it never races the session's
 * own document.
 */
export interface PollScheduleRecord {
  _id: string;
  authReqId: string;
  /** Increases after every poll; a lease is for one round. */
  round: number;
  nextPollAt: Date;
  intervalSeconds: number;
  /** Consecutive failed broker calls; at expiry a session whose last poll failed is FAILED. */
  brokerFailures: number;
  expiresAt: Date;
  /** The broker's result is kept in the session's ending: complete it, do not poll. */
  resultKept?: boolean;
}

const schema = new Schema<PollScheduleRecord>(
  {
    _id: { type: String, required: true },
    authReqId: { type: String, required: true },
    round: { type: Number, required: true },
    nextPollAt: { type: Date, required: true },
    intervalSeconds: { type: Number, required: true },
    brokerFailures: { type: Number, required: true },
    expiresAt: { type: Date, required: true },
    resultKept: Boolean,
  },
  { collection: 'pollSchedules', versionKey: false },
);
schema.index({ nextPollAt: 1 });

export type PollScheduleModel = Model<PollScheduleRecord>;

export function pollScheduleModel(connection: Connection): PollScheduleModel {
  return connection.model<PollScheduleRecord>('PollSchedule', schema);
}
