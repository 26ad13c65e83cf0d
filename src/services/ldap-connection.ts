import { Client, InvalidCredentialsError, ResultCodeError } from 'ldapts';
import type { ConnectionOptions } from 'node:tls';
import type { LdapConfig } from '../config';
import { DirectoryUnavailableError } from '../errors';

/** How long one LDAP operation or connection attempt may take before the directory counts as down. */
export const LDAP_TIMEOUT_MS = 5000;

/** Result codes that mean the server, not the request, is at fault: busy, unavailable, … */
const SERVER_SIDE_CODES = new Set([1, 3, 51, 52, 53, 80]);

/** True when an LDAP error means "the directory is unavailable", not "the request was wrong". */
export function isDirectoryOutage(error: unknown): boolean {
  if (error instanceof ResultCodeError) return SERVER_SIDE_CODES.has(error.code);
  return true; // socket errors, TLS failures, timeouts
}

/** Options for a new connection to the configured directory. */
function tlsOptions(config: LdapConfig): ConnectionOptions {
  return { ca: config.ca, minVersion: 'TLSv1.2' };
}

/**
 * Opens a client that is connected over TLS: `ldaps://` directly, `ldap://` upgraded with
 * StartTLS before any credentials are sent. Active Directory refuses simple binds otherwise.
 */
export async function openSecureClient(config: LdapConfig): Promise<Client> {
  const startTls = config.url.startsWith('ldap://');
  const client = new Client({
    url: config.url,
    timeout: LDAP_TIMEOUT_MS,
    connectTimeout: LDAP_TIMEOUT_MS,
    // ldapts opens a TLS socket whenever tlsOptions are given, so only for ldaps://.
    tlsOptions: startTls ? undefined : tlsOptions(config),
  });
  if (startTls) {
    try {
      await client.startTLS(tlsOptions(config));
    } catch (error) {
      await client.unbind().catch(() => undefined);
      throw error;
    }
  }
  return client;
}

/**
 * The service account's connection, opened on first use and reused for every query. When it
 * breaks (server restart, idle timeout) the next operation opens a new one and retries once.
 */
export class ServiceConnection {
  private client?: Promise<Client>;
  private closed = false;

  /** @param onOutage called for every operation that fails for want of the directory. */
  constructor(
    private readonly config: LdapConfig,
    private readonly onOutage: () => void = () => {},
  ) {}

  /** Runs an operation on the bound service connection; outages become DirectoryUnavailableError. */
  async run<T>(operation: (client: Client) => Promise<T>): Promise<T> {
    if (this.closed) throw new DirectoryUnavailableError();
    for (let attempt = 1; ; attempt++) {
      const pending = this.connect();
      try {
        const client = await pending;
        return await operation(client);
      } catch (error) {
        if (!isDirectoryOutage(error)) throw error;
        this.discard(pending);
        if (attempt >= 2 || error instanceof InvalidCredentialsError) {
          this.onOutage();
          throw new DirectoryUnavailableError({ cause: error });
        }
      }
    }
  }

  /** Unbinds and refuses further operations. */
  async close(): Promise<void> {
    this.closed = true;
    const pending = this.client;
    this.client = undefined;
    if (pending) await pending.then((c) => c.unbind()).catch(() => undefined);
  }

  private connect(): Promise<Client> {
    if (!this.client) {
      this.client = (async () => {
        const client = await openSecureClient(this.config);
        try {
          await client.bind(this.config.bindDn, this.config.bindPassword);
        } catch (error) {
          await client.unbind().catch(() => undefined);
          // A refused service bind is a deployment fault, not the caller's: report an outage.
          throw error instanceof InvalidCredentialsError
            ? new Error('service bind refused')
            : error;
        }
        return client;
      })();
    }
    return this.client;
  }

  private discard(pending: Promise<Client>): void {
    if (this.client !== pending) return;
    this.client = undefined;
    pending.then((c) => c.unbind()).catch(() => undefined);
  }
}
