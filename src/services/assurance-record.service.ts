import type { AssuranceRecordModel, AssuranceRecordRecord } from '../models/assurance-record.model';
import type { VerificationSessionRecord } from '../models/verification-session.model';
import { afterFilter, type Cursor } from './pagination';
import { isDuplicateKey } from '../models/duplicate-key';

/** Appends NSIS evidence; never changes or deletes a record. */
export class AssuranceRecordService {
  constructor(private readonly records: AssuranceRecordModel) {}

  /** Inserts the record; a second append with the same _id is ignored (the first one stands). */
  async append(record: AssuranceRecordRecord): Promise<boolean> {
    try {
      await this.records.create(record);
      return true;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return false;
    }
  }

  /** Up to `limit` records, newest first, after the cursor; all accounts or one username's. */
  async page(
    username: string | undefined,
    limit: number,
    after?: Cursor,
  ): Promise<AssuranceRecordRecord[]> {
    return this.records
      .find({ $and: [username ? { username } : {}, afterFilter('at', after)] })
      .sort({ at: -1, _id: -1 })
      .limit(limit)
      .setOptions({ singleBatch: true, batchSize: limit })
      .lean();
  }

  /** How many records there are, of all accounts or one username's. */
  async count(username: string | undefined): Promise<number> {
    return this.records.countDocuments(username ? { username } : {});
  }

  /** The records of several bindings in one query, grouped by binding, newest first. */
  async forBindings(bindingIds: readonly string[]): Promise<Map<string, AssuranceRecordRecord[]>> {
    const rows = await this.records
      .find({ bindingId: { $in: [...bindingIds] } })
      .sort({ at: -1, _id: -1 })
      .batchSize(10_000) // one round trip for a page's records, not one per 101
      .lean();
    const grouped = new Map<string, AssuranceRecordRecord[]>();
    for (const row of rows) {
      const list = grouped.get(row.bindingId!) ?? [];
      list.push(row);
      grouped.set(row.bindingId!, list);
    }
    return grouped;
  }

  async byId(id: string): Promise<AssuranceRecordRecord | null> {
    return this.records.findById(id).lean();
  }
}

/** The NSIS evidence of a finished session. */
export function assuranceRecordOf(session: VerificationSessionRecord): AssuranceRecordRecord {
  return {
    _id: session._id,
    at: session.finishedAt ?? new Date(),
    purpose: session.purpose,
    outcome: session.status as AssuranceRecordRecord['outcome'],
    reason: session.reason,
    level: session.status === 'VERIFIED' ? 'Substantial' : undefined,
    method: 'PASSPORT_APP',
    accountId: session.accountId,
    username: session.username,
    bindingId: session.bindingId,
    brokerTransactionId: session.evidence?.brokerTransactionId ?? session.authReqId,
    idTokenHash: session.evidence?.idTokenHash,
    facematchLevel: session.evidence?.facematchLevel,
    documentExpiry: session.evidence?.documentExpiry,
    clientIp: session.clientIp,
  };
}
