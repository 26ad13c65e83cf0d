import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client, EqualityFilter, OrFilter } from 'ldapts';
import { guidToBytes } from '../src/services/object-guid';
import type { Environment } from './environment';
import { median, post } from './load';
import type { Row } from './report';

const PAGE = `query { passportBindings(first: 100) { totalCount edges { node { id username status maskedDocumentNumber
  account { id username displayName userPrincipalName enabled } assuranceRecords { id outcome } } } } }`;

/** Benchmark 3: a page of 100 bindings with account fields, against hand-written look-ups. */
export async function adminPage(env: Environment, runs: number): Promise<Row[]> {
  const { app, url } = await env.app();
  await app.services.poller.stop();
  const directory = app.services.directory;
  for (let i = 1; i <= 100; i++) {
    const account = (await directory.findByUsername(`bench${String(i).padStart(4, '0')}`))!;
    const id = randomUUID();
    await app.services.bindings.createPending(
      id,
      account,
      {
        subject: 's',
        name: account.displayName,
        birthdate: '1980-01-01',
        nationality: 'DNK',
        documentType: 'P',
        documentNumber: String(300_000_000 + i),
        issuingCountry: 'DNK',
        dateOfExpiry: '2033-01-01',
        facematchLevel: 8,
      },
      new Date(Date.now() - i * 1000),
    );
    await app.services.models.bindings.updateOne({ _id: id }, { $set: { status: 'ACTIVE' } });
    await app.services.records.append({
      _id: id,
      at: new Date(),
      purpose: 'REGISTRATION',
      outcome: 'VERIFIED',
      method: 'PASSPORT_APP',
      accountId: account.id,
      username: account.username,
      bindingId: id,
    });
  }
  const admin = (await directory.findByUsername('admin'))!;
  const { token } = await app.services.tokens.issue(admin);

  // Count what one page costs: ldapts searches and MongoDB commands.
  let searches = 0;
  const original = Client.prototype.search;
  Client.prototype.search = function (this: Client, ...args: Parameters<Client['search']>) {
    searches++;
    return original.apply(this, args);
  };
  let commands = 0;
  const client = app.mongo.getClient();
  const count = () => commands++;
  client.on('commandStarted', count);
  const ours: number[] = [];
  let lastSearches = 0;
  let lastCommands = 0;
  for (let i = 0; i < runs; i++) {
    searches = 0;
    commands = 0;
    const t0 = performance.now();
    const data = (await post(`${url}/graphql`, PAGE, { authorization: `Bearer ${token}` })) as {
      passportBindings: { edges: { node: { account: { id: string } | null } }[] };
    };
    ours.push(performance.now() - t0);
    if (
      data.passportBindings.edges.length !== 100 ||
      data.passportBindings.edges.some((e) => !e.node.account)
    ) {
      throw new Error('incomplete page');
    }
    lastSearches = searches;
    lastCommands = commands;
  }
  client.off('commandStarted', count);
  Client.prototype.search = original;

  // The baseline: the same three look-ups written by hand with the driver and ldapts.
  const db = app.mongo.db!;
  const ldap = env.directory.config;
  const service = new Client({ url: ldap.url, tlsOptions: { ca: ldap.ca } });
  await service.bind(ldap.bindDn, ldap.bindPassword);
  const raw: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const bindings = await db
      .collection('passportBindings')
      .find({})
      .sort({ verifiedAt: -1 })
      .limit(100)
      .toArray();
    const ids = [...new Set(bindings.map((b) => b.accountId as string))];
    const [{ searchEntries }, records] = await Promise.all([
      service.search(ldap.baseDn, {
        filter: new OrFilter({
          filters: ids.map(
            (id) => new EqualityFilter({ attribute: 'objectGUID', value: guidToBytes(id) }),
          ),
        }),
        attributes: [
          'objectGUID',
          'sAMAccountName',
          'displayName',
          'userPrincipalName',
          'userAccountControl',
        ],
        explicitBufferAttributes: ['objectGUID'],
      }),
      db
        .collection('assuranceRecords')
        .find({ bindingId: { $in: bindings.map((b) => b._id) } })
        .toArray(),
    ]);
    raw.push(performance.now() - t0);
    if (searchEntries.length !== 100 || records.length !== 100)
      throw new Error('baseline incomplete');
  }
  await service.unbind();
  const ratio = median(ours) / median(raw);
  return [
    {
      name: 'Admin page: 100 bindings with account fields',
      ours: `${median(ours).toFixed(1)} ms, ${lastSearches} LDAP searches, ${lastCommands} MongoDB commands`,
      baseline: `${median(raw).toFixed(1)} ms (driver + ldapts by hand)`,
      result: `${ratio.toFixed(2)}× the baseline's time`,
      target: '≤ 2 searches, ≤ 3 commands, ≤ 1.25×',
      met: lastSearches <= 2 && lastCommands <= 3 && ratio <= 1.25,
    },
  ];
}
