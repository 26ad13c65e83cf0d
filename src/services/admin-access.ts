import { ForbiddenError, UnauthenticatedError } from '../errors';
import type { TokenSubject } from './access-token.service';
import type { DirectoryService } from './directory.service';
import type { SignInService } from './sign-in.service';

/** How long a directory answer about admin membership is trusted. */
const CACHE_MS = 60_000;

/**
 * Decides who is an admin: an enabled account that is a direct member of LDAP_ADMIN_GROUP_DN,
 * as the directory says at most a minute ago. Removing someone from the group takes effect
 * within that minute, whatever their token says.
 */
export class AdminAccess {
  private readonly cache = new Map<string, { admin: boolean; until: number }>();

  constructor(
    private readonly directory: DirectoryService,
    private readonly signIns: SignInService,
  ) {}

  /** Resolves for an admin; FORBIDDEN for anyone else, UNAUTHENTICATED for a vanished account. */
  async require(user: TokenSubject): Promise<void> {
    const now = Date.now();
    let entry = this.cache.get(user.accountId);
    if (!entry || entry.until < now) {
      const account = await this.directory.findById(user.accountId);
      if (!account || !account.enabled) {
        this.cache.delete(user.accountId);
        throw new UnauthenticatedError('The account is disabled or no longer exists');
      }
      entry = { admin: this.signIns.isAdmin(account), until: now + CACHE_MS };
      this.cache.set(user.accountId, entry);
      if (this.cache.size > 10_000) this.cache.clear();
    }
    if (!entry.admin) throw new ForbiddenError('Only passport administrators may do this');
  }
}
