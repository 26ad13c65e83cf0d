import { NotFoundError } from '../errors';
import type { AssuranceRecordModel } from '../models/assurance-record.model';
import type { PassportBindingRecord } from '../models/passport-binding.model';
import type { DirectoryService } from './directory.service';
import type { PassportBindingService } from './passport-binding.service';
import { isDuplicateKey } from '../models/duplicate-key';

/**
 * Revokes a binding when a passport is lost or a person leaves: the AD value goes first (a
 * failed AD write leaves everything as it was), then the revocation is claimed by inserting
 * its assurance record (so two admins at once revoke once), then the binding is REVOKED and
 * its passport freed.
 */
export class RevocationService {
  constructor(
    private readonly directory: DirectoryService,
    private readonly bindings: PassportBindingService,
    private readonly records: AssuranceRecordModel,
  ) {}

  /** Revokes the account's current binding; NOT_FOUND when it has none. */
  async revoke(
    username: string,
    reason: string,
    actor: string,
    clientIp: string,
  ): Promise<PassportBindingRecord> {
    const account = await this.directory.findByUsername(username);
    const binding = account && (await this.bindings.currentForAccount(account.id));
    if (!account || !binding)
      throw new NotFoundError(`${username} has no passport binding to revoke`);

    await this.directory.removePassportIdentity(account.dn);
    try {
      await this.records.create({
        _id: `revocation:${binding._id}`,
        at: new Date(),
        purpose: 'REVOCATION',
        outcome: 'REVOKED',
        reason,
        method: 'PASSPORT_APP',
        accountId: account.id,
        username: account.username,
        bindingId: binding._id,
        documentExpiry: binding.documentExpiry,
        clientIp,
        actor,
      });
    } catch (error) {
      if (isDuplicateKey(error)) {
        throw new NotFoundError(`${username} has no passport binding to revoke`);
      }
      throw error;
    }
    return this.bindings.revoke(binding, actor, reason);
  }
}
