import {
  AndFilter,
  Attribute,
  Change,
  EqualityFilter,
  InvalidCredentialsError,
  OrFilter,
  type Entry,
} from 'ldapts';
import type { LdapConfig } from '../config';
import { DirectoryUnavailableError, UnauthenticatedError } from '../errors';
import { isDirectoryOutage, openSecureClient, ServiceConnection } from './ldap-connection';
import { guidFromBytes, guidToBytes } from './object-guid';

/** An Active Directory user account as the service sees it. */
export interface DirectoryAccount {
  /** objectGUID as a GUID string: the stable account id. */
  id: string;
  username: string;
  dn: string;
  displayName: string;
  userPrincipalName?: string;
  email?: string;
  enabled: boolean;
  memberOf: string[];
}

/** userAccountControl flag ACCOUNTDISABLE. */
const ACCOUNT_DISABLED = 0x2;

const ACCOUNT_ATTRIBUTES = [
  'objectGUID',
  'sAMAccountName',
  'displayName',
  'cn',
  'userPrincipalName',
  'mail',
  'userAccountControl',
  'memberOf',
];

/** AD's sAMAccountName is at most 20 characters; 64 leaves room for other directories. */
export const MAX_USERNAME_LENGTH = 64;

/**
 * The directory port: finds accounts with the service account and checks users' passwords by
 * binding as them. Filters are built from ldapts filter objects, so user input is escaped.
 */
export class DirectoryService {
  private readonly service: ServiceConnection;

  /** @param onOutage called for every call that fails for want of the directory (metrics). */
  constructor(
    private readonly config: LdapConfig,
    private readonly onOutage: () => void = () => {},
  ) {
    this.service = new ServiceConnection(config, onOutage);
  }

  /** The enabled or disabled account with this sAMAccountName, or null. */
  async findByUsername(username: string): Promise<DirectoryAccount | null> {
    const entries = await this.searchUsers(
      new EqualityFilter({ attribute: 'sAMAccountName', value: username }),
    );
    return entries[0] ?? null;
  }

  /** The account with this objectGUID, or null. */
  async findById(id: string): Promise<DirectoryAccount | null> {
    return (await this.findByIds([id])).get(id) ?? null;
  }

  /** Accounts by objectGUID in one search; ids with no account are absent from the map. */
  async findByIds(ids: readonly string[]): Promise<Map<string, DirectoryAccount>> {
    const result = new Map<string, DirectoryAccount>();
    if (ids.length === 0) return result;
    const filters = ids.map(
      (id) => new EqualityFilter({ attribute: 'objectGUID', value: guidToBytes(id) }),
    );
    const entries = await this.searchUsers(
      filters.length === 1 ? filters[0] : new OrFilter({ filters }),
    );
    for (const account of entries) result.set(account.id, account);
    return result;
  }

  /**
   * Checks a user's password by binding as them on a connection of their own, so the service
   * account's connection keeps its identity. Wrong password, unknown and disabled accounts all
   * answer the same UnauthenticatedError, so a caller cannot probe which names exist.
   */
  async authenticate(username: string, password: string): Promise<DirectoryAccount> {
    // An empty password would be an unauthenticated bind, which LDAP servers accept.
    if (password.length === 0) throw new UnauthenticatedError('Invalid username or password');
    const account = await this.findByUsername(username);
    if (!account || !account.enabled) {
      throw new UnauthenticatedError('Invalid username or password');
    }
    let client;
    try {
      client = await openSecureClient(this.config);
      await client.bind(account.dn, password);
    } catch (error) {
      if (error instanceof InvalidCredentialsError) {
        throw new UnauthenticatedError('Invalid username or password');
      }
      if (isDirectoryOutage(error)) {
        this.onOutage();
        throw new DirectoryUnavailableError({ cause: error });
      }
      throw error;
    } finally {
      await client?.unbind().catch(() => undefined);
    }
    return account;
  }

  /**
   * Mirrors the binding on the account: exactly one `PASSPORT:<fingerprint>` value in
   * altSecurityIdentities, other values untouched. Reads first, so repeating it changes
   * nothing; stale PASSPORT: values go and the new one comes in one atomic modify.
   * Any refusal (access rights included) is a DirectoryUnavailableError: the caller cannot fix it.
   */
  async setPassportIdentity(dn: string, fingerprint: string): Promise<void> {
    await this.replacePassportValues(dn, `PASSPORT:${fingerprint}`);
  }

  /** Removes every `PASSPORT:` value from the account's altSecurityIdentities. */
  async removePassportIdentity(dn: string): Promise<void> {
    await this.replacePassportValues(dn, undefined);
  }

  /** The account's altSecurityIdentities values. */
  async altSecurityIdentities(dn: string): Promise<string[]> {
    const { searchEntries } = await this.service.run((client) =>
      client.search(dn, { scope: 'base', attributes: ['altSecurityIdentities'] }),
    );
    return searchEntries[0] ? values(searchEntries[0], 'altSecurityIdentities') : [];
  }

  private async replacePassportValues(dn: string, wanted: string | undefined): Promise<void> {
    try {
      const current = await this.altSecurityIdentities(dn);
      const stale = current.filter((v) => /^PASSPORT:/i.test(v) && v !== wanted);
      const changes: Change[] = [];
      if (stale.length > 0) {
        changes.push(
          new Change({
            operation: 'delete',
            modification: new Attribute({ type: 'altSecurityIdentities', values: stale }),
          }),
        );
      }
      if (wanted && !current.includes(wanted)) {
        changes.push(
          new Change({
            operation: 'add',
            modification: new Attribute({ type: 'altSecurityIdentities', values: [wanted] }),
          }),
        );
      }
      if (changes.length > 0) await this.service.run((client) => client.modify(dn, changes));
    } catch (error) {
      if (error instanceof DirectoryUnavailableError) throw error;
      this.onOutage();
      throw new DirectoryUnavailableError({ cause: error });
    }
  }

  /** Resolves when the directory answers a search as the service account. */
  async ping(): Promise<void> {
    await this.service.run((client) =>
      client.search(this.config.baseDn, { scope: 'base', attributes: ['1.1'] }),
    );
  }

  /** Closes the service account's connection. */
  async close(): Promise<void> {
    await this.service.close();
  }

  private async searchUsers(
    filter: EqualityFilter | OrFilter | AndFilter,
  ): Promise<DirectoryAccount[]> {
    const { searchEntries } = await this.service.run((client) =>
      client.search(this.config.baseDn, {
        scope: 'sub',
        filter: new AndFilter({
          filters: [new EqualityFilter({ attribute: 'objectClass', value: 'user' }), filter],
        }),
        attributes: ACCOUNT_ATTRIBUTES,
        explicitBufferAttributes: ['objectGUID'],
      }),
    );
    return searchEntries.map(toAccount);
  }
}

/** ldapts gives a string for one value, an array for several and [] for none. */
function values(entry: Entry, name: string): string[] {
  const raw = entry[name];
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v)));
}

function first(entry: Entry, name: string): string | undefined {
  return values(entry, name)[0];
}

function toAccount(entry: Entry): DirectoryAccount {
  const guid = entry.objectGUID;
  const bytes = Array.isArray(guid) ? guid[0] : guid;
  if (!Buffer.isBuffer(bytes)) throw new Error(`entry without objectGUID: ${entry.dn}`);
  const username = first(entry, 'sAMAccountName') ?? '';
  const control = Number(first(entry, 'userAccountControl') ?? '0');
  return {
    id: guidFromBytes(bytes),
    username,
    dn: entry.dn,
    displayName: first(entry, 'displayName') ?? first(entry, 'cn') ?? username,
    userPrincipalName: first(entry, 'userPrincipalName'),
    email: first(entry, 'mail'),
    enabled: (control & ACCOUNT_DISABLED) === 0,
    memberOf: values(entry, 'memberOf'),
  };
}

/** Compares two DNs the way AD does for our purposes: case- and space-insensitively. */
export function sameDn(a: string, b: string): boolean {
  const norm = (dn: string) =>
    dn
      .split(',')
      .map((rdn) => rdn.trim().toLowerCase())
      .join(',');
  return norm(a) === norm(b);
}
