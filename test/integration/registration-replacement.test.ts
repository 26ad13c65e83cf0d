import { MyPassportBindingDocument } from '../../generated/graphql';
import { httpGraphQL } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  bearerFor,
  DomainAdmin,
  approveAndFollow,
  startRegistration,
  uniquePassport,
} from '../support/verification-helpers';
import type { PassportReaderClaims } from '../../src/dev/broker-simulator/specimen-passports';

describe('registering again, and one passport per account', () => {
  const admin = new DomainAdmin();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await admin.setAltSecurityIdentities('user02', ['DATE-OF-BIRTH:1985-08-12']);
    await admin.setAltSecurityIdentities('user03', []);
  });
  afterAll(() => t.close());

  async function register(username: string, passport: PassportReaderClaims) {
    const bearer = await bearerFor(t, username);
    const { final } = await approveAndFollow(t, await startRegistration(t, bearer), passport);
    return { final, bearer };
  }

  const first = uniquePassport();
  const second = uniquePassport();

  it('replaces the earlier passport: REPLACED in the database, one PASSPORT: value in AD', async () => {
    const one = await register('user02', first);
    expect(one.final).toMatchObject({ status: 'VERIFIED' });
    const valuesAfterFirst = await admin.altSecurityIdentities('user02');

    const two = await register('user02', second);
    expect(two.final).toMatchObject({ status: 'VERIFIED' });

    const values = await admin.altSecurityIdentities('user02');
    const passports = values.filter((v) => v.startsWith('PASSPORT:'));
    expect(passports).toHaveLength(1);
    expect(valuesAfterFirst).not.toContain(passports[0]);
    expect(values).toContain('DATE-OF-BIRTH:1985-08-12');

    const old = await t.app.services.bindings.byId(one.final.binding!.id);
    expect(old).toMatchObject({ status: 'REPLACED', replacedBy: two.final.binding!.id });
    const mine = await httpGraphQL(t.url, MyPassportBindingDocument, undefined, {
      authorization: two.bearer,
    });
    expect(mine.data!.myPassportBinding!.id).toBe(two.final.binding!.id);
  });

  it('frees the replaced passport for another account', async () => {
    const result = await register('user03', first);
    expect(result.final).toMatchObject({ status: 'VERIFIED' });
  });

  it('refuses a passport registered to another account, and changes nothing there', async () => {
    const before = await admin.altSecurityIdentities('user03');
    const result = await register('user03', second);
    expect(result.final).toMatchObject({
      status: 'REJECTED',
      reason: 'PASSPORT_REGISTERED_TO_ANOTHER_ACCOUNT',
      binding: null,
    });
    expect(await admin.altSecurityIdentities('user03')).toEqual(before);
    const user02 = await register('user02', second);
    expect(user02.final).toMatchObject({ status: 'VERIFIED' });
  });

  it('lets an account register the same passport again', async () => {
    const again = await register('user03', first);
    expect(again.final).toMatchObject({ status: 'VERIFIED' });
    const passports = (await admin.altSecurityIdentities('user03')).filter((v) =>
      v.startsWith('PASSPORT:'),
    );
    expect(passports).toHaveLength(1);
  });
});
