import { randomUUID } from 'node:crypto';
import { Client } from 'ldapts';
import { SPECIMEN_PASSPORTS } from '../../src/dev/broker-simulator/specimen-passports';
import { parsePassportClaims, type PassportClaims } from '../../src/services/passport-claims';
import {
  AssuranceRecordsDocument,
  PassportBindingIdsDocument,
  PassportBindingsDocument,
} from '../../generated/graphql';
import { httpGraphQL } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { bearerFor, DomainAdmin } from '../support/verification-helpers';

describe('admin: listing and searching bindings', () => {
  const admin = new DomainAdmin();
  let t: TestApp;
  let adminBearer: string;
  const numbers: string[] = [];
  const start = Date.now() - 1_000_000;

  /** Stores an ACTIVE binding with one record, as a registration would, verified at `at`. */
  async function seedBinding(username: string, at: Date): Promise<string> {
    const account = (await t.app.services.directory.findByUsername(username))!;
    const base = SPECIMEN_PASSPORTS[0].claims;
    const number = String(100_000_000 + numbers.length);
    numbers.push(number);
    const parsed = parsePassportClaims({
      ...base,
      sub: 's',
      document_number: number,
      issuing_country: numbers.length % 5 ? 'DNK' : 'SWE',
    });
    const claims = (parsed as { claims: PassportClaims }).claims;
    const id = randomUUID();
    await t.app.services.bindings.createPending(id, account, claims, at);
    await t.app.services.models.bindings.updateOne({ _id: id }, { $set: { status: 'ACTIVE' } });
    await t.app.services.records.append({
      _id: id,
      at,
      purpose: 'REGISTRATION',
      outcome: 'VERIFIED',
      level: 'Substantial',
      method: 'PASSPORT_APP',
      accountId: account.id,
      username,
      bindingId: id,
    });
    return id;
  }

  beforeAll(async () => {
    t = await startTestApp();
    adminBearer = await bearerFor(t, 'ada');
    // Nothing to poll here; stopped, the poller's own queries stay out of the counts.
    await t.app.services.poller.stop();
    const users = await admin.ensureUsers('bulk', 125);
    for (let i = 0; i < 250; i++)
      await seedBinding(users[i % users.length], new Date(start + i * 1000));
  }, 120_000);
  afterAll(() => t.close());

  it('serves a page of 100 with account fields in at most 2 LDAP searches and 3 MongoDB commands', async () => {
    const searches = jest.spyOn(Client.prototype, 'search');
    const commands: string[] = [];
    const listener = (event: { commandName: string }) => commands.push(event.commandName);
    const mongoClient = t.app.mongo.getClient();
    mongoClient.on('commandStarted', listener);
    try {
      const page = await httpGraphQL(
        t.url,
        PassportBindingsDocument,
        { first: 100 },
        { authorization: adminBearer },
      );
      expect(page.errors).toBeUndefined();
      const { edges, totalCount, pageInfo } = page.data!.passportBindings;
      expect(edges).toHaveLength(100);
      expect(totalCount).toBe(250);
      expect(pageInfo.hasNextPage).toBe(true);
      expect(edges.every((e) => e.node.account?.username === e.node.username)).toBe(true);
      expect(edges.every((e) => e.node.assuranceRecords.length === 1)).toBe(true);
      expect(new Set(edges.map((e) => e.node.account!.id)).size).toBe(100);

      expect(searches.mock.calls.length).toBeLessThanOrEqual(2);
      // The page, its records in one batch, and the count.
      expect(commands.sort()).toEqual(['aggregate', 'find', 'find']);
    } finally {
      searches.mockRestore();
      mongoClient.off('commandStarted', listener);
    }
  });

  it('visits every binding exactly once while new ones arrive between pages', async () => {
    const seen: string[] = [];
    let after: string | null | undefined;
    let pages = 0;
    do {
      const page = await httpGraphQL(
        t.url,
        PassportBindingIdsDocument,
        { first: 40, after },
        { authorization: adminBearer },
      );
      expect(page.errors).toBeUndefined();
      seen.push(...page.data!.passportBindings.edges.map((e) => e.node.id));
      after = page.data!.passportBindings.pageInfo.hasNextPage
        ? page.data!.passportBindings.pageInfo.endCursor
        : null;
      await seedBinding('bulk001', new Date()); // newer than everything listed so far
      pages++;
    } while (after);
    expect(pages).toBe(7);
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
  });

  it('filters by status, username prefix, issuing country and verification time', async () => {
    const list = (filter: object) =>
      httpGraphQL(
        t.url,
        PassportBindingsDocument,
        { filter, first: 100 },
        { authorization: adminBearer },
      );
    const swe = await list({ issuingCountry: 'swe' });
    expect(swe.data!.passportBindings.totalCount).toBeGreaterThan(0);
    expect(swe.data!.passportBindings.edges.every((e) => e.node.issuingCountry === 'SWE')).toBe(
      true,
    );
    const prefix = await list({ usernamePrefix: 'BULK00' });
    expect(
      prefix.data!.passportBindings.edges.every((e) => /^bulk00\d$/.test(e.node.username)),
    ).toBe(true);
    const revoked = await list({ status: 'REVOKED' });
    expect(revoked.data!.passportBindings.totalCount).toBe(0);
    const early = await list({
      verifiedBefore: new Date(start + 10_500).toISOString(),
    });
    expect(early.data!.passportBindings.totalCount).toBe(11);
    const regexLike = await list({ usernamePrefix: '.*' });
    expect(regexLike.data!.passportBindings.totalCount).toBe(0);
  });

  it('shows admins masked document numbers only', async () => {
    const page = await httpGraphQL(
      t.url,
      PassportBindingsDocument,
      { first: 100 },
      { authorization: adminBearer },
    );
    const text = JSON.stringify(page);
    expect(numbers.some((n) => text.includes(n))).toBe(false);
    expect(page.data!.passportBindings.edges[0].node.maskedDocumentNumber).toMatch(/^\*{6}\d{3}$/);
  });

  it('pages through the assurance records, newest first', async () => {
    const first = await httpGraphQL(
      t.url,
      AssuranceRecordsDocument,
      { first: 5 },
      { authorization: adminBearer },
    );
    const times = first.data!.assuranceRecords.edges.map((e) => e.node.at);
    expect([...times].sort().reverse()).toEqual(times);
    const next = await httpGraphQL(
      t.url,
      AssuranceRecordsDocument,
      { first: 5, after: first.data!.assuranceRecords.pageInfo.endCursor },
      { authorization: adminBearer },
    );
    expect(next.data!.assuranceRecords.edges[0].node.at <= times[4]).toBe(true);
    const one = await httpGraphQL(
      t.url,
      AssuranceRecordsDocument,
      { username: 'bulk002' },
      { authorization: adminBearer },
    );
    expect(one.data!.assuranceRecords.edges.every((e) => e.node.username === 'bulk002')).toBe(true);
  });

  it('answers FORBIDDEN to a non-admin and UNAUTHENTICATED to nobody', async () => {
    const bo = await httpGraphQL(
      t.url,
      PassportBindingsDocument,
      {},
      { authorization: await bearerFor(t, 'bo') },
    );
    expect(bo.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(bo.data).toBeNull();
    const records = await httpGraphQL(
      t.url,
      AssuranceRecordsDocument,
      {},
      { authorization: await bearerFor(t, 'bo') },
    );
    expect(records.errors![0].extensions!.code).toBe('FORBIDDEN');
    const nobody = await httpGraphQL(t.url, PassportBindingsDocument, {});
    expect(nobody.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('refuses oversized pages and forged cursors with BAD_USER_INPUT', async () => {
    const big = await httpGraphQL(
      t.url,
      PassportBindingIdsDocument,
      { first: 101 },
      { authorization: adminBearer },
    );
    expect(big.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', maximum: 100 });
    const zero = await httpGraphQL(
      t.url,
      PassportBindingIdsDocument,
      { first: 0 },
      { authorization: adminBearer },
    );
    expect(zero.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const forged = await httpGraphQL(
      t.url,
      PassportBindingIdsDocument,
      { after: Buffer.from('{"$gt":""}').toString('base64url') },
      { authorization: adminBearer },
    );
    expect(forged.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const country = await httpGraphQL(
      t.url,
      PassportBindingIdsDocument,
      { filter: { issuingCountry: 'DENMARK' } },
      { authorization: adminBearer },
    );
    expect(country.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });
});
