import { randomInt } from 'node:crypto';
import { print } from 'graphql';
import { Attribute, Change, Client } from 'ldapts';
import type { PassportReaderClaims } from '../../src/dev/broker-simulator/specimen-passports';
import { SPECIMEN_PASSPORTS } from '../../src/dev/broker-simulator/specimen-passports';
import {
  SignInDocument,
  StartPassportLoginDocument,
  StartPassportRegistrationDocument,
  VerificationStatusDocument,
  type VerificationStatusSubscription,
} from '../../generated/graphql';
import { httpGraphQL, wsClient } from './graphql-client';
import type { TestApp } from './test-app';
import { testServers } from './test-servers';

export type StatusEvent = VerificationStatusSubscription['verificationStatus'];

/** Signs the fixture user in and returns the bearer header value. */
export async function bearerFor(t: TestApp, username: string): Promise<string> {
  const { data, errors } = await httpGraphQL(t.url, SignInDocument, {
    username,
    password: testServers().samba.userPassword,
  });
  if (errors) throw new Error(`signIn ${username}: ${JSON.stringify(errors)}`);
  return `Bearer ${data!.signIn.accessToken}`;
}

/** Starts an anonymous passport login. */
export async function startLogin(t: Pick<TestApp, 'url'>) {
  const { data, errors } = await httpGraphQL(t.url, StartPassportLoginDocument);
  if (errors) throw new Error(`startPassportLogin: ${JSON.stringify(errors)}`);
  return data!.startPassportLogin;
}

/**
 * Follows a started session over graphql-ws, lets "the app" read the passport once the
 * session waits for it, and returns every event up to the final one.
 */
export async function approveAndFollow(
  t: TestApp,
  started: { session: { id: string; activationCode: string }; sessionToken: string },
  passport: PassportReaderClaims | string,
) {
  const follower = followStatus(t.wsUrl, started.session.id, started.sessionToken);
  await follower.waitFor((e) => e.status === 'AWAITING_APP');
  await t.broker.approve(started.session.activationCode, passport);
  const events = await follower.done;
  return { events, final: events[events.length - 1] };
}

/** Registers the passport on the user's account through the API and the simulator. */
export async function registerPassport(
  t: TestApp,
  username: string,
  passport: PassportReaderClaims,
) {
  const started = await startRegistration(t, await bearerFor(t, username));
  const { final } = await approveAndFollow(t, started, passport);
  if (final.status !== 'VERIFIED')
    throw new Error(`registration of ${username}: ${final.status} ${final.reason}`);
  return final.binding!;
}

/** Starts a login, lets the app read the passport, and returns every event of it. */
export async function loginWith(t: TestApp, passport: PassportReaderClaims | string) {
  const started = await startLogin(t);
  return { started, ...(await approveAndFollow(t, started, passport)) };
}

/** Starts a registration as that user; returns the session and its token. */
export async function startRegistration(t: TestApp, bearer: string) {
  const { data, errors } = await httpGraphQL(t.url, StartPassportRegistrationDocument, undefined, {
    authorization: bearer,
  });
  if (errors) throw new Error(`startPassportRegistration: ${JSON.stringify(errors)}`);
  return data!.startPassportRegistration;
}

/** A subscription's events as they arrive, and a promise of all of them once it completes. */
export interface StatusFollower {
  events: StatusEvent[];
  done: Promise<StatusEvent[]>;
  /** Resolves with the first event that satisfies the test. */
  waitFor(test: (event: StatusEvent) => boolean): Promise<StatusEvent>;
}

/** Subscribes to verificationStatus over graphql-ws. */
export function followStatus(
  wsUrl: string,
  sessionId: string,
  sessionToken: string,
): StatusFollower {
  const client = wsClient(wsUrl);
  const events: StatusEvent[] = [];
  const waiters: { test: (e: StatusEvent) => boolean; resolve: (e: StatusEvent) => void }[] = [];
  const done = new Promise<StatusEvent[]>((resolve, reject) => {
    client.subscribe<VerificationStatusSubscription>(
      { query: print(VerificationStatusDocument), variables: { sessionId, sessionToken } },
      {
        next: (result) => {
          if (result.errors)
            return reject(
              Object.assign(new Error('subscription error'), { errors: result.errors }),
            );
          const event = result.data!.verificationStatus;
          events.push(event);
          for (const waiter of [...waiters]) {
            if (waiter.test(event)) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve(event);
            }
          }
        },
        error: (error) => reject(error),
        complete: () => resolve(events),
      },
    );
  }).finally(() => void client.dispose());
  done.catch(() => undefined);
  return {
    events,
    done,
    waitFor: (test) => {
      const seen = events.find(test);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ test, resolve }));
    },
  };
}

/** A valid passport with a document number nobody else uses in this run. */
export function uniquePassport(
  overrides: Partial<PassportReaderClaims> = {},
): PassportReaderClaims {
  const base = SPECIMEN_PASSPORTS.find((p) => p.id === 'anna-dnk')!.claims;
  return { ...base, document_number: String(randomInt(100_000_000, 999_999_999)), ...overrides };
}

/** Polls until the check returns something truthy (or throws after the timeout). */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A directory administrator's view of the test domain, to check and prepare AD values. */
export class DomainAdmin {
  private readonly samba = testServers().samba;

  private async withClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ url: this.samba.ldapsUrl, tlsOptions: { ca: this.samba.caCert } });
    await client.bind(this.samba.adminDn, this.samba.adminPassword);
    try {
      return await work(client);
    } finally {
      await client.unbind();
    }
  }

  /** The user's DN, found by sAMAccountName. */
  dnOf(username: string): Promise<string> {
    return this.withClient(async (client) => {
      const { searchEntries } = await client.search(this.samba.baseDn, {
        filter: `(sAMAccountName=${username})`,
        attributes: ['1.1'],
      });
      return searchEntries[0].dn;
    });
  }

  /** The user's altSecurityIdentities values. */
  async altSecurityIdentities(username: string): Promise<string[]> {
    const dn = await this.dnOf(username);
    return this.withClient(async (client) => {
      const { searchEntries } = await client.search(dn, {
        scope: 'base',
        attributes: ['altSecurityIdentities'],
      });
      const raw = searchEntries[0].altSecurityIdentities ?? [];
      return (Array.isArray(raw) ? raw : [raw]).map(String);
    });
  }

  /** Creates enabled accounts prefix001…prefixNNN (full-name CNs) unless they exist. */
  async ensureUsers(prefix: string, count: number): Promise<string[]> {
    const names = Array.from(
      { length: count },
      (_, i) => `${prefix}${String(i + 1).padStart(3, '0')}`,
    );
    await this.withClient(async (client) => {
      for (const name of names) {
        const fullName = `Bulk ${name.slice(prefix.length)} ${prefix}`;
        try {
          await client.add(`CN=${fullName},CN=Users,${this.samba.baseDn}`, [
            new Attribute({
              type: 'objectClass',
              values: ['top', 'person', 'organizationalPerson', 'user'],
            }),
            new Attribute({ type: 'sAMAccountName', values: [name] }),
            new Attribute({ type: 'displayName', values: [fullName] }),
            new Attribute({
              type: 'unicodePwd',
              values: [Buffer.from(`"${this.samba.userPassword}"`, 'utf16le')],
            }),
            new Attribute({ type: 'userAccountControl', values: ['512'] }),
          ]);
        } catch (error) {
          if ((error as { code?: number }).code !== 68) throw error; // 68: already exists
        }
      }
    });
    return names;
  }

  /** Enables or disables the account (userAccountControl 512 or 514). */
  setEnabled(username: string, enabled: boolean): Promise<void> {
    return this.replace(username, 'userAccountControl', [enabled ? '512' : '514']);
  }

  /** Replaces the user's altSecurityIdentities with exactly these values. */
  setAltSecurityIdentities(username: string, values: string[]): Promise<void> {
    return this.replace(username, 'altSecurityIdentities', values);
  }

  private async replace(username: string, type: string, values: string[]): Promise<void> {
    const dn = await this.dnOf(username);
    await this.withClient((client) =>
      client.modify(
        dn,
        new Change({ operation: 'replace', modification: new Attribute({ type, values }) }),
      ),
    );
  }
}
