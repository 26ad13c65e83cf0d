import {
  AssuranceRecordsDocument,
  PassportBindingOfDocument,
  RevokePassportBindingDocument,
} from '../../generated/graphql';
import { httpGraphQL } from '../support/graphql-client';
import { startTestApp, testEnv, type TestApp } from '../support/test-app';
import { testServers } from '../support/test-servers';
import {
  bearerFor,
  DomainAdmin,
  loginWith,
  registerPassport,
  uniquePassport,
} from '../support/verification-helpers';

describe('admin: revoking a binding', () => {
  const admin = new DomainAdmin();
  const env = testEnv();
  let t: TestApp;
  let adminBearer: string;
  const passport = uniquePassport({ name: 'Test User 18' });

  beforeAll(async () => {
    t = await startTestApp(env);
    adminBearer = await bearerFor(t, 'ada');
    await admin.setAltSecurityIdentities('user18', [
      'MITID:UUID:00000000-0000-4000-8000-000000000018',
    ]);
    await registerPassport(t, 'user18', passport);
  });
  afterAll(() => t.close());

  const revoke = (username: string, reason: string, bearer = adminBearer) =>
    httpGraphQL(
      t.url,
      RevokePassportBindingDocument,
      { username, reason },
      { authorization: bearer },
    );

  it('refuses non-admins and bad input, and leaves the binding alone', async () => {
    const bo = await revoke('user18', 'not allowed', await bearerFor(t, 'bo'));
    expect(bo.errors![0].extensions!.code).toBe('FORBIDDEN');
    const short = await revoke('user18', '');
    expect(short.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const nobody = await revoke('nobody-here', 'lost passport');
    expect(nobody.errors![0].extensions!.code).toBe('NOT_FOUND');
    const binding = await httpGraphQL(
      t.url,
      PassportBindingOfDocument,
      { username: 'user18' },
      { authorization: adminBearer },
    );
    expect(binding.data!.passportBinding!.status).toBe('ACTIVE');
  });

  it('keeps the binding ACTIVE with DIRECTORY_UNAVAILABLE when AD refuses the write', async () => {
    const { samba } = testServers();
    const readOnly = await startTestApp(
      { ...env, LDAP_BIND_DN: await admin.dnOf('bo'), LDAP_BIND_PASSWORD: samba.userPassword },
      t.broker,
    );
    try {
      const answer = await httpGraphQL(
        readOnly.url,
        RevokePassportBindingDocument,
        { username: 'user18', reason: 'passport lost' },
        { authorization: adminBearer },
      );
      expect(answer.errors![0].extensions!.code).toBe('DIRECTORY_UNAVAILABLE');
    } finally {
      await readOnly.close();
    }
    const binding = await httpGraphQL(
      t.url,
      PassportBindingOfDocument,
      { username: 'user18' },
      { authorization: adminBearer },
    );
    expect(binding.data!.passportBinding).toMatchObject({ status: 'ACTIVE', revokedAt: null });
    expect(
      (await admin.altSecurityIdentities('user18')).some((v) => v.startsWith('PASSPORT:')),
    ).toBe(true);
    const records = await httpGraphQL(
      t.url,
      AssuranceRecordsDocument,
      { username: 'user18' },
      { authorization: adminBearer },
    );
    expect(records.data!.assuranceRecords.edges.map((e) => e.node.purpose)).not.toContain(
      'REVOCATION',
    );
  });

  it('revokes: REVOKED with who, when and why, the AD value gone, a record written', async () => {
    const answer = await revoke('user18', 'passport reported stolen');
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.revokePassportBinding).toMatchObject({
      status: 'REVOKED',
      revokedBy: 'ada',
      revocationReason: 'passport reported stolen',
    });
    expect(answer.data!.revokePassportBinding.revokedAt).toBeTruthy();
    expect(await admin.altSecurityIdentities('user18')).toEqual([
      'MITID:UUID:00000000-0000-4000-8000-000000000018',
    ]);

    const binding = await httpGraphQL(
      t.url,
      PassportBindingOfDocument,
      { username: 'user18' },
      { authorization: adminBearer },
    );
    expect(binding.data!.passportBinding!.assuranceRecords).toContainEqual(
      expect.objectContaining({
        purpose: 'REVOCATION',
        outcome: 'REVOKED',
        actor: 'ada',
        reason: 'passport reported stolen',
      }),
    );
  });

  it('answers NOT_FOUND to revoking twice', async () => {
    const again = await revoke('user18', 'again');
    expect(again.errors![0].extensions!.code).toBe('NOT_FOUND');
  });

  it('turns a later login with that passport away as PASSPORT_NOT_REGISTERED', async () => {
    const { final } = await loginWith(t, passport);
    expect(final).toMatchObject({ status: 'REJECTED', reason: 'PASSPORT_NOT_REGISTERED' });
  });

  it('lets the passport be registered afresh', async () => {
    const binding = await registerPassport(t, 'user18', passport);
    expect(binding.status).toBe('ACTIVE');
    const { final } = await loginWith(t, passport);
    expect(final).toMatchObject({ status: 'VERIFIED', login: { account: { username: 'user18' } } });
  });
});
