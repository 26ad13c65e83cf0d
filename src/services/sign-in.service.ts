import { UnauthenticatedError } from '../errors';
import type { AccessTokenService, TokenSubject } from './access-token.service';
import { sameDn, type DirectoryAccount, type DirectoryService } from './directory.service';

/** An account with what the API adds to it. */
export type AccountView = DirectoryAccount & { isAdmin: boolean };

/** Signs users in against the directory and resolves who a token speaks for. */
export class SignInService {
  constructor(
    private readonly directory: DirectoryService,
    private readonly tokens: AccessTokenService,
    private readonly adminGroupDn: string | undefined,
  ) {}

  /** Checks the password with the directory and issues an access token. */
  async signIn(username: string, password: string) {
    const account = await this.directory.authenticate(username, password);
    const { token, expiresAt } = await this.tokens.issue(account);
    return { accessToken: token, expiresAt, account: this.view(account) };
  }

  /** The token's account as the directory has it now; a disabled or deleted account is refused. */
  async currentAccount(user: TokenSubject): Promise<AccountView> {
    const account = await this.directory.findById(user.accountId);
    if (!account || !account.enabled) {
      throw new UnauthenticatedError('The account is disabled or no longer exists');
    }
    return this.view(account);
  }

  /** True when the account is a direct member of LDAP_ADMIN_GROUP_DN. */
  isAdmin(account: DirectoryAccount): boolean {
    const group = this.adminGroupDn;
    return group !== undefined && account.memberOf.some((dn) => sameDn(dn, group));
  }

  private view(account: DirectoryAccount): AccountView {
    return { ...account, isAdmin: this.isAdmin(account) };
  }
}
