import { randomUUID } from 'node:crypto';
import type { BrokerClient } from '../src/services/broker.client';
import type { DirectoryAccount, DirectoryService } from '../src/services/directory.service';
import type { Environment } from './environment';
import { closedLoop, median, post, repeat } from './load';
import { startRawServer } from './raw-server';
import type { Row } from './report';

const ME = `query { me { id username displayName isAdmin }
  myPassportBinding { id status maskedDocumentNumber documentExpiry holderName } }`;
const START = `mutation { startPassportLogin { sessionToken session { id activationCode expiresAt } } }`;

/** Benchmark 1: our full server against raw graphql-js, for a query and a mutation. */
export async function apiOverhead(env: Environment, seconds: number): Promise<Row[]> {
  const account: DirectoryAccount = {
    id: randomUUID(),
    username: 'bench0001',
    dn: 'CN=Bench User 0001,CN=Users,DC=demo,DC=passport,DC=test',
    displayName: 'Bench User 0001',
    enabled: true,
    memberOf: [],
  };
  // Fake ports, here only: the directory and broker are measured elsewhere.
  const directory = {
    findById: async () => account,
    findByIds: async (ids: readonly string[]) => new Map(ids.map((id) => [id, account])),
    ping: async () => undefined,
    close: async () => undefined,
  } as unknown as DirectoryService;
  const broker = {
    start: async () => ({ authReqId: randomUUID(), expiresInSeconds: 300, intervalSeconds: 5 }),
    poll: async () => ({ kind: 'pending' }),
    ping: async () => undefined,
  } as unknown as BrokerClient;
  const { app, url } = await env.app({}, { ports: { directory, broker } });
  await app.services.poller.stop();
  const claims = {
    subject: 's',
    name: 'Bench User 0001',
    birthdate: '1980-01-01',
    nationality: 'DNK',
    documentType: 'P',
    documentNumber: '201234567',
    issuingCountry: 'DNK',
    dateOfExpiry: '2033-01-01',
    facematchLevel: 8,
  };
  const bindingId = randomUUID();
  await app.services.bindings.createPending(bindingId, account, claims, new Date());
  await app.services.models.bindings.updateOne({ _id: bindingId }, { $set: { status: 'ACTIVE' } });
  const { token } = await app.services.tokens.issue(account);
  const headers = { authorization: `Bearer ${token}` };

  const raw = await startRawServer({
    account: { ...account, isAdmin: false },
    binding: {
      id: bindingId,
      status: 'ACTIVE',
      maskedDocumentNumber: '******567',
      documentExpiry: '2033-01-01',
      holderName: 'Bench User 0001',
    },
  });
  const ours = `${url}/graphql`;
  const check = (data: Record<string, unknown>, field: string) => {
    if (!data[field]) throw new Error(`no ${field} in the answer`);
  };
  const rows: Row[] = [];
  for (const [name, query, field, auth] of [
    ['API: me + myPassportBinding (query)', ME, 'myPassportBinding', headers],
    ['API: startPassportLogin (mutation)', START, 'startPassportLogin', {}],
  ] as const) {
    const oursRuns = await repeat(2, () =>
      closedLoop(async () => check(await post(ours, query, auth), field), 16, seconds * 1000),
    );
    const rawRuns = await repeat(2, () =>
      closedLoop(async () => check(await post(raw.url, query, auth), field), 16, seconds * 1000),
    );
    const ratio = median(oursRuns.map((r) => r.rps)) / median(rawRuns.map((r) => r.rps));
    rows.push({
      name,
      ours: `${median(oursRuns.map((r) => r.rps)).toFixed(0)} req/s, p99 ${median(oursRuns.map((r) => r.p99)).toFixed(1)} ms`,
      baseline: `${median(rawRuns.map((r) => r.rps)).toFixed(0)} req/s, p99 ${median(rawRuns.map((r) => r.p99)).toFixed(1)} ms (raw graphql-js)`,
      result: `${ratio.toFixed(2)}× raw`,
      target: '≥ 0.5× raw',
      met: ratio >= 0.5,
    });
  }
  await raw.close();
  return rows;
}
