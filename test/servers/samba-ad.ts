import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import { createLoopbackTls } from '../../src/dev/tls-authority';
import { waitForPort } from '../../src/dev/free-port';
import { guidFromBytes } from '../../src/services/object-guid';
import { ensureDebianPackage } from './debian-package';

/** A fixture account in the test domain. */
export interface FixtureUser {
  username: string;
  fullName: string;
  enabled: boolean;
  admin: boolean;
}

/** What tests need to reach the running Samba AD DC. */
export interface SambaAd {
  dir: string;
  baseDn: string;
  /** ldaps:// on 636 and the StartTLS variant on 389. */
  ldapsUrl: string;
  startTlsUrl: string;
  caCert: string;
  caFile: string;
  serviceDn: string;
  servicePassword: string;
  adminDn: string;
  adminPassword: string;
  adminGroupDn: string;
  /** The password of every fixture user. */
  userPassword: string;
  users: FixtureUser[];
  pid: number;
}

const REALM = 'PASSPORT.TEST';
const BASE_DN = 'DC=passport,DC=test';
const ADMIN_PASSWORD = 'Adm1n-Fixture-Pass!';
const SERVICE_PASSWORD = 'Svc-Fixture-Pass1!';
const USER_PASSWORD = 'User-Fixture-Pass1!';

/**
 * The fixture users. CNs are full names, as in a real AD, so nothing can build a DN from a
 * user name. user01…user30 are spare accounts that test files own one at a time.
 */
export const FIXTURE_USERS: FixtureUser[] = [
  { username: 'anna', fullName: 'Anna Maria Eriksson', enabled: true, admin: false },
  { username: 'bo', fullName: 'Bo Jensen', enabled: true, admin: false },
  { username: 'dorte', fullName: 'Dorte Disabled', enabled: false, admin: false },
  { username: 'ada', fullName: 'Ada Admin', enabled: true, admin: true },
  ...Array.from({ length: 30 }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    return { username: `user${n}`, fullName: `Test User ${n}`, enabled: true, admin: false };
  }),
];

/** Samba's LDAP ports are fixed; a run that was killed may have left its server behind. */
const PID_FILE = join(tmpdir(), 'passport-assurance-samba.pid');

async function killStaleSamba(): Promise<void> {
  if (!(await portOpen(636))) return;
  if (existsSync(PID_FILE)) {
    try {
      process.kill(Number(readFileSync(PID_FILE, 'utf8')), 'SIGKILL');
    } catch {
      // already gone
    }
    for (let i = 0; i < 50 && (await portOpen(636)); i++)
      await new Promise((r) => setTimeout(r, 100));
  }
  if (await portOpen(636)) {
    throw new Error('Port 636 is in use by another process; the test Samba AD DC needs it.');
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Provisions a fresh domain into a temp folder, starts it on 127.0.0.1 and adds the fixtures. */
export async function startSambaAd(): Promise<{ info: SambaAd; stop: () => Promise<void> }> {
  ensureDebianPackage(
    'samba',
    () => spawnSync('samba-tool', ['--version']).status === 0,
    'Samba AD DC for the tests',
  );
  await killStaleSamba();
  const dir = mkdtempSync(join(tmpdir(), 'samba-ad-'));
  const run = (cmd: string, args: string[]) => {
    const result = spawnSync(cmd, args, { encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`${cmd} ${args.slice(0, 3).join(' ')} failed:\n${result.stderr}`);
    }
    return result.stdout;
  };
  run('samba-tool', [
    'domain',
    'provision',
    `--realm=${REALM}`,
    '--domain=PASSPORT',
    '--server-role=dc',
    '--dns-backend=NONE',
    `--adminpass=${ADMIN_PASSWORD}`,
    `--targetdir=${dir}`,
    '--host-ip=127.0.0.1',
    '--option=interfaces=lo',
    '--option=bind interfaces only=yes',
  ]);

  const tls = await createLoopbackTls('samba test domain');
  const tlsDir = join(dir, 'tls');
  mkdirSync(tlsDir);
  writeFileSync(join(tlsDir, 'ca.pem'), tls.caCert);
  writeFileSync(join(tlsDir, 'cert.pem'), tls.serverCert);
  writeFileSync(join(tlsDir, 'key.pem'), tls.serverKey);
  chmodSync(join(tlsDir, 'key.pem'), 0o600);

  const confPath = join(dir, 'etc', 'smb.conf');
  const conf = readFileSync(confPath, 'utf8')
    .split('\n')
    .filter((line) => !/^\s*(dns forwarder|server services|log file|logging)\s*=/.test(line))
    .join('\n')
    .replace(
      '[global]',
      [
        '[global]',
        '\tserver services = ldap',
        `\tlog file = ${join(dir, 'log.%m')}`,
        '\tlogging = file',
        '\tlog level = 1',
        '\ttls enabled = yes',
        `\ttls keyfile = ${join(tlsDir, 'key.pem')}`,
        `\ttls certfile = ${join(tlsDir, 'cert.pem')}`,
        `\ttls cafile = ${join(tlsDir, 'ca.pem')}`,
      ].join('\n'),
    );
  writeFileSync(confPath, conf);

  const child: ChildProcess = spawn('samba', ['-F', '-M', 'single', '-s', confPath], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  writeFileSync(PID_FILE, String(child.pid));
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`samba exited (${code}): ${stderr}`))),
  );
  exited.catch(() => undefined);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      // A throw-away domain: nothing to flush, and samba takes seconds to honour SIGTERM.
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
    rmSync(PID_FILE, { force: true });
  };

  try {
    await Promise.race([waitForPort(636, 30_000), exited]);
    await Promise.race([waitForPort(389, 30_000), exited]);
    const info: SambaAd = {
      dir,
      baseDn: BASE_DN,
      ldapsUrl: 'ldaps://127.0.0.1:636',
      startTlsUrl: 'ldap://127.0.0.1:389',
      caCert: tls.caCert,
      caFile: join(tlsDir, 'ca.pem'),
      serviceDn: `CN=Passport Service,CN=Users,${BASE_DN}`,
      servicePassword: SERVICE_PASSWORD,
      adminDn: `CN=Administrator,CN=Users,${BASE_DN}`,
      adminPassword: ADMIN_PASSWORD,
      adminGroupDn: `CN=PassportAdmins,CN=Users,${BASE_DN}`,
      userPassword: USER_PASSWORD,
      users: FIXTURE_USERS,
      pid: child.pid ?? 0,
    };
    await addFixtures(info, run);
    return { info, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function unicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}

async function addFixtures(info: SambaAd, run: (cmd: string, args: string[]) => string) {
  const client = new Client({ url: info.ldapsUrl, tlsOptions: { ca: info.caCert } });
  await client.bind(info.adminDn, info.adminPassword);
  try {
    const addUser = async (
      dn: string,
      username: string,
      fullName: string,
      password: string,
      enabled: boolean,
    ) => {
      await client.add(dn, [
        new Attribute({
          type: 'objectClass',
          values: ['top', 'person', 'organizationalPerson', 'user'],
        }),
        new Attribute({ type: 'cn', values: [fullName] }),
        new Attribute({ type: 'displayName', values: [fullName] }),
        new Attribute({ type: 'sAMAccountName', values: [username] }),
        new Attribute({ type: 'userPrincipalName', values: [`${username}@passport.test`] }),
        new Attribute({ type: 'mail', values: [`${username}@passport.test`] }),
        new Attribute({ type: 'unicodePwd', values: [unicodePwd(password)] }),
        new Attribute({ type: 'userAccountControl', values: [enabled ? '512' : '514'] }),
      ]);
    };

    // The service account first, so the ACE below exists before the users inherit it.
    await addUser(info.serviceDn, 'passport-svc', 'Passport Service', info.servicePassword, true);
    const { searchEntries } = await client.search(info.serviceDn, {
      scope: 'base',
      attributes: ['objectSid'],
      explicitBufferAttributes: ['objectSid'],
    });
    const sid = sidToString(searchEntries[0].objectSid as Buffer);
    const schema = await client.search(`CN=Schema,CN=Configuration,${info.baseDn}`, {
      filter: '(lDAPDisplayName=altSecurityIdentities)',
      attributes: ['schemaIDGUID'],
      explicitBufferAttributes: ['schemaIDGUID'],
    });
    const attributeGuid = guidFromBytes(schema.searchEntries[0].schemaIDGUID as Buffer);
    // Read and write altSecurityIdentities on every user below CN=Users, and nothing else.
    run('samba-tool', [
      'dsacl',
      'set',
      '-H',
      `tdb://${join(info.dir, 'private', 'sam.ldb')}`,
      `--objectdn=CN=Users,${info.baseDn}`,
      `--sddl=(OA;CIIO;RPWP;${attributeGuid};bf967aba-0de6-11d0-a285-00aa003049e2;${sid})`,
    ]);

    await client.add(info.adminGroupDn, [
      new Attribute({ type: 'objectClass', values: ['top', 'group'] }),
      new Attribute({ type: 'sAMAccountName', values: ['PassportAdmins'] }),
    ]);
    for (const user of info.users) {
      const dn = `CN=${user.fullName},CN=Users,${info.baseDn}`;
      await addUser(dn, user.username, user.fullName, info.userPassword, user.enabled);
      if (user.admin) {
        await client.modify(
          info.adminGroupDn,
          new Change({
            operation: 'add',
            modification: new Attribute({ type: 'member', values: [dn] }),
          }),
        );
      }
    }
  } finally {
    await client.unbind();
  }
}

/** Binary SID → "S-1-5-21-…". */
function sidToString(sid: Buffer): string {
  const revision = sid[0];
  const count = sid[1];
  const authority = sid.readUIntBE(2, 6);
  const subs = Array.from({ length: count }, (_, i) => sid.readUInt32LE(8 + i * 4));
  return `S-${revision}-${authority}-${subs.join('-')}`;
}
