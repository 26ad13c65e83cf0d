import type { QueryFilter } from 'mongoose';
import type {
  BindingStatus,
  PassportBindingModel,
  PassportBindingRecord,
} from '../models/passport-binding.model';
import { afterFilter, type Cursor } from './pagination';

/** What an admin can narrow the list of bindings by. */
export interface BindingFilter {
  status?: Exclude<BindingStatus, 'PENDING'>;
  usernamePrefix?: string;
  issuingCountry?: string;
  verifiedAfter?: Date;
  verifiedBefore?: Date;
}

/** Lists bindings for admins, newest verification first, in stable keyset pages. */
export class PassportBindingSearch {
  constructor(private readonly bindings: PassportBindingModel) {}

  /** Up to `limit` bindings after the cursor (ask for one more than a page to see if more follow). */
  async page(
    filter: BindingFilter,
    limit: number,
    after?: Cursor,
  ): Promise<PassportBindingRecord[]> {
    return (
      this.bindings
        .find({ $and: [query(filter), afterFilter('verifiedAt', after)] })
        .sort({ verifiedAt: -1, _id: -1 })
        .limit(limit)
        // One batch and no open cursor: otherwise the driver spends a killCursors on it.
        .setOptions({ singleBatch: true, batchSize: limit })
        .lean()
    );
  }

  /** How many bindings match the filter. */
  async count(filter: BindingFilter): Promise<number> {
    return this.bindings.countDocuments(query(filter));
  }

  /** The account's newest binding that is not still being created, or null. */
  async latestForAccount(accountId: string): Promise<PassportBindingRecord | null> {
    return this.bindings
      .findOne({ accountId, status: { $ne: 'PENDING' } })
      .sort({ verifiedAt: -1, _id: -1 })
      .lean();
  }
}

function query(filter: BindingFilter): QueryFilter<PassportBindingRecord> {
  const q: QueryFilter<PassportBindingRecord> = {
    status: filter.status ?? { $ne: 'PENDING' },
  };
  if (filter.usernamePrefix)
    q.username = { $regex: `^${escapeRegex(filter.usernamePrefix)}`, $options: 'i' };
  if (filter.issuingCountry) q.issuingCountry = filter.issuingCountry.toUpperCase();
  if (filter.verifiedAfter || filter.verifiedBefore) {
    q.verifiedAt = {
      ...(filter.verifiedAfter ? { $gte: filter.verifiedAfter } : {}),
      ...(filter.verifiedBefore ? { $lt: filter.verifiedBefore } : {}),
    };
  }
  return q;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
