import type { AssuranceRecordModel, AssuranceRecordRecord } from '../models/assurance-record.model';

const DUPLICATE_KEY = 11000;

/** Appends NSIS evidence; never changes or deletes a record. */
export class AssuranceRecordService {
  constructor(private readonly records: AssuranceRecordModel) {}

  /** Inserts the record; a second append with the same _id is ignored (the first one stands). */
  async append(record: AssuranceRecordRecord): Promise<void> {
    try {
      await this.records.create(record);
    } catch (error) {
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
    }
  }

  /** The records of one attempt or account, newest first. */
  async forAccount(accountId: string, limit = 50): Promise<AssuranceRecordRecord[]> {
    return this.records.find({ accountId }).sort({ at: -1 }).limit(limit).lean();
  }

  async byId(id: string): Promise<AssuranceRecordRecord | null> {
    return this.records.findById(id).lean();
  }
}
