import DataLoader from 'dataloader';
import type { AssuranceRecordRecord } from './models/assurance-record.model';
import type { AssuranceRecordService } from './services/assurance-record.service';
import type { DirectoryAccount, DirectoryService } from './services/directory.service';

/** Accounts per LDAP search: an OR of this many objectGUIDs stays well inside AD's limits. */
export const ACCOUNTS_PER_SEARCH = 100;

/**
 * Per-request batching, so a page of bindings costs one directory search for all their
 * accounts and one MongoDB query for all their records, not one per row.
 */
export function createLoaders(directory: DirectoryService, records: AssuranceRecordService) {
  return {
    accounts: new DataLoader<string, DirectoryAccount | null>(
      async (ids) => {
        const found = await directory.findByIds(ids);
        return ids.map((id) => found.get(id) ?? null);
      },
      { maxBatchSize: ACCOUNTS_PER_SEARCH },
    ),
    recordsByBinding: new DataLoader<string, AssuranceRecordRecord[]>(async (ids) => {
      const grouped = await records.forBindings(ids);
      return ids.map((id) => grouped.get(id) ?? []);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
