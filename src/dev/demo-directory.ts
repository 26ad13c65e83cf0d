import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { LdapConfig } from '../config';
import type { Logger } from '../logger';
import { createLoopbackTls } from './tls-authority';

/* eslint-disable @typescript-eslint/no-explicit-any -- ldapjs's handler arguments are untyped */
// ldapjs is used only here, for the embedded demo directory; the service itself speaks to it
// through ldapts exactly as it speaks to Active Directory.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ldap = require('ldapjs');

/** A demo user; `password` is what the README tells newcomers to type. */
export interface DemoUser {
  username: string;
  fullName: string;
  password: string;
  enabled: boolean;
  admin?: boolean;
}

export const DEMO_BASE_DN = 'DC=demo,DC=passport,DC=test';
export const DEMO_ADMIN_GROUP_DN = `CN=PassportAdmins,CN=Users,${DEMO_BASE_DN}`;

/** The people of the demo: every name fictional. */
export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'anna', fullName: 'Anna Maria Eriksson', password: 'Demo-Passport-1', enabled: true },
  { username: 'bo', fullName: 'Bo Jensen', password: 'Demo-Passport-1', enabled: true },
  { username: 'carl', fullName: 'Carl Disabled', password: 'Demo-Passport-1', enabled: false },
  {
    username: 'admin',
    fullName: 'Ada Admin',
    password: 'Demo-Admin-1',
    enabled: true,
    admin: true,
  },
];

interface StoredEntry {
  dn: string;
  password?: string;
  attributes: Record<string, (string | Buffer)[]>;
}

/** A running demo directory and how to reach it. */
export interface DemoDirectory {
  config: LdapConfig;
  adminGroupDn: string;
  close(): Promise<void>;
}

/**
 * Starts an LDAPS server on a free loopback port, seeded with the users (DEMO_USERS by default), that answers the
 * few operations the service uses (bind, search, modify) the way Active Directory does.
 */
export async function startDemoDirectory(
  log: Logger,
  users: readonly DemoUser[] = DEMO_USERS,
): Promise<DemoDirectory> {
  const tls = await createLoopbackTls('demo directory');
  const serviceDn = `CN=passport-svc,CN=Users,${DEMO_BASE_DN}`;
  const servicePassword = randomBytes(18).toString('base64url');
  const entries = seedEntries(serviceDn, servicePassword, users);
  const byDn = (dn: string) => entries.find((e) => normDn(e.dn) === normDn(dn));

  const server = ldap.createServer({ certificate: tls.serverCert, key: tls.serverKey });
  server.on('clientError', () => undefined);
  server.on('error', (err: Error) => log.warn({ err }, 'demo directory refused a request'));

  server.bind(DEMO_BASE_DN, (req: any, res: any, next: any) => {
    const entry = byDn(req.dn.toString());
    const password = req.credentials;
    const control = Number(entry?.attributes.userAccountControl?.[0] ?? 0);
    if (!entry || !entry.password || entry.password !== password || control & 0x2) {
      return next(new ldap.InvalidCredentialsError());
    }
    res.end();
    return next();
  });

  const requireService = (req: any, next: any): boolean => {
    if (normDn(req.connection.ldap.bindDN.toString()) !== normDn(serviceDn)) {
      next(new ldap.InsufficientAccessRightsError());
      return false;
    }
    return true;
  };

  server.search(DEMO_BASE_DN, (req: any, res: any, next: any) => {
    if (!requireService(req, next)) return;
    const base = normDn(req.dn.toString());
    const requested: string[] = req.attributes.map(String);
    // ldapjs's own attribute selection is case-sensitive; AD's is not, so select here.
    res.attributes = ['*'];
    for (const entry of entries) {
      const dn = normDn(entry.dn);
      const inScope =
        req.scope === 'base'
          ? dn === base
          : req.scope === 'one'
            ? dn.split(',').slice(1).join(',') === base
            : dn === base || dn.endsWith(`,${base}`);
      if (inScope && matches(req.filter, entry)) {
        res.send({ dn: entry.dn, attributes: selectAttributes(entry, requested) }, true);
      }
    }
    res.end();
    return next();
  });

  server.modify(DEMO_BASE_DN, (req: any, res: any, next: any) => {
    if (!requireService(req, next)) return;
    const entry = byDn(req.dn.toString());
    if (!entry) return next(new ldap.NoSuchObjectError());
    for (const change of req.changes) {
      const name: string = change.modification.type;
      const values: string[] = change.modification.values.map(String);
      const current = (entry.attributes[name] ?? []).map(String);
      if (change.operation === 'add') {
        if (values.some((v) => current.includes(v))) {
          return next(new ldap.AttributeOrValueExistsError());
        }
        entry.attributes[name] = [...current, ...values];
      } else if (change.operation === 'delete') {
        if (values.length > 0 && values.some((v) => !current.includes(v))) {
          return next(new ldap.NoSuchAttributeError());
        }
        entry.attributes[name] = values.length ? current.filter((v) => !values.includes(v)) : [];
      } else {
        entry.attributes[name] = values;
      }
    }
    res.end();
    return next();
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  log.info({ port, users: users.length }, 'demo directory started');
  return {
    config: {
      url: `ldaps://127.0.0.1:${port}`,
      bindDn: serviceDn,
      bindPassword: servicePassword,
      baseDn: DEMO_BASE_DN,
      ca: tls.caCert,
    },
    adminGroupDn: DEMO_ADMIN_GROUP_DN,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function seedEntries(
  serviceDn: string,
  servicePassword: string,
  people: readonly DemoUser[],
): StoredEntry[] {
  const users = people.map((user): StoredEntry => ({
    dn: `CN=${user.fullName},CN=Users,${DEMO_BASE_DN}`,
    password: user.password,
    attributes: {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      cn: [user.fullName],
      displayName: [user.fullName],
      sAMAccountName: [user.username],
      userPrincipalName: [`${user.username}@demo.passport.test`],
      mail: [`${user.username}@demo.passport.test`],
      objectGUID: [demoGuid()],
      userAccountControl: [String(user.enabled ? 512 : 514)],
      memberOf: user.admin ? [DEMO_ADMIN_GROUP_DN] : [],
      altSecurityIdentities: [],
    },
  }));
  const service: StoredEntry = {
    dn: serviceDn,
    password: servicePassword,
    attributes: {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      cn: ['passport-svc'],
      sAMAccountName: ['passport-svc'],
      objectGUID: [demoGuid()],
      userAccountControl: ['512'],
    },
  };
  const base: StoredEntry = { dn: DEMO_BASE_DN, attributes: { objectClass: ['domain'] } };
  const group: StoredEntry = {
    dn: DEMO_ADMIN_GROUP_DN,
    attributes: { objectClass: ['top', 'group'], cn: ['PassportAdmins'] },
  };
  return [base, group, service, ...users];
}

/**
 * 16 random bytes drawn from ASCII letters and digits. ldapjs mangles, and sometimes crashes
 * on, filter values with bytes that look like broken UTF-8; AD's GUIDs are arbitrary bytes,
 * which the Samba tests cover.
 */
function demoGuid(): Buffer {
  const alphabet = Buffer.from('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
  return Buffer.from(Array.from(randomBytes(16), (b) => alphabet[b % alphabet.length]));
}

function selectAttributes(entry: StoredEntry, requested: string[]) {
  const wanted = requested.map((a) => a.toLowerCase());
  const all = wanted.length === 0 || wanted.includes('*');
  return Object.fromEntries(
    Object.entries(entry.attributes).filter(
      ([name, values]) => values.length > 0 && (all || wanted.includes(name.toLowerCase())),
    ),
  );
}

function normDn(dn: string): string {
  return dn
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .join(',');
}

/**
 * ldapjs hands a binary filter value over as text in which some bytes are `\hh` escapes and
 * the others are characters with those code points; this turns it back into the bytes.
 */
function binaryFilterValue(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '\\' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(text.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** A text filter value with its `\hh` escapes (UTF-8 bytes) decoded. */
function textFilterValue(text: string): string {
  return text.replace(/(?:\\[0-9a-fA-F]{2})+/g, (run) =>
    Buffer.from(run.replace(/\\/g, ''), 'hex').toString('utf8'),
  );
}

/** Evaluates the filter kinds the service sends: and, or, not, equality, presence. */
function matches(filter: any, entry: StoredEntry): boolean {
  const values = (name: string) => {
    const key = Object.keys(entry.attributes).find((k) => k.toLowerCase() === name.toLowerCase());
    return key ? entry.attributes[key] : [];
  };
  switch (filter.type) {
    case 'AndFilter':
      return filter.filters.every((f: any) => matches(f, entry));
    case 'OrFilter':
      return filter.filters.some((f: any) => matches(f, entry));
    case 'NotFilter':
      return !matches(filter.filter, entry);
    case 'PresenceFilter':
      return values(filter.attribute).length > 0;
    case 'EqualityFilter': {
      const text = String(filter.value);
      return values(filter.attribute).some((v) =>
        Buffer.isBuffer(v)
          ? v.equals(binaryFilterValue(text))
          : v.toLowerCase() === textFilterValue(text).toLowerCase(),
      );
    }
    default:
      return false;
  }
}
