import { StartPassportRegistrationDocument } from '../../generated/graphql';
import { httpGraphQL } from '../support/graphql-client';
import { startTestApp, testEnv, type TestApp } from '../support/test-app';
import {
  approveAndFollow,
  bearerFor,
  DomainAdmin,
  followStatus,
  startRegistration,
  uniquePassport,
} from '../support/verification-helpers';
import { CancelVerificationDocument } from '../../generated/graphql';
import type { PassportReaderClaims } from '../../src/dev/broker-simulator/specimen-passports';

describe('registration refusals and endings other than VERIFIED', () => {
  const admin = new DomainAdmin();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(
      testEnv({ POLICY_ISSUING_COUNTRIES: 'DNK,SWE', VERIFICATION_TTL_SECONDS: '10' }),
    );
    await admin.setAltSecurityIdentities('user04', []);
  });
  afterAll(() => t.close());

  async function attempt(passport: string | PassportReaderClaims) {
    const started = await startRegistration(t, await bearerFor(t, 'user04'));
    return { ...(await approveAndFollow(t, started, passport)), sessionId: started.session.id };
  }

  it.each([
    ['an expired document', 'karl-expired', 'DOCUMENT_EXPIRED'],
    ['a face match below the minimum', 'lise-low-facematch', 'FACE_MATCH_TOO_LOW'],
    ['an identity card', 'mads-id-card', 'DOCUMENT_TYPE_NOT_ALLOWED'],
    ['a country outside POLICY_ISSUING_COUNTRIES', 'erika-uto', 'ISSUING_COUNTRY_NOT_ALLOWED'],
  ])('REJECTS %s with its reason and binds nothing', async (_name, passport, reason) => {
    const { events, final, sessionId } = await attempt(passport);
    expect(events.map((e) => e.status)).toEqual(['AWAITING_APP', 'REJECTED']);
    expect(final).toMatchObject({ reason, binding: null });
    expect(await t.app.services.records.byId(sessionId)).toMatchObject({
      outcome: 'REJECTED',
      reason,
    });
  });

  it.each([
    ['a malformed expiry date', { date_of_expiry: '31.02.2030' }, 'DOCUMENT_EXPIRED'],
    ['no face match level', { facematch_level: '' }, 'FACE_MATCH_TOO_LOW'],
    ['no document number', { document_number: '' }, 'IDENTITY_MISMATCH'],
    ['a malformed birth date', { birthdate: '1985/08/12' }, 'IDENTITY_MISMATCH'],
  ])('REJECTS a reading with %s', async (_name, change, reason) => {
    const { final } = await attempt(uniquePassport(change as Partial<PassportReaderClaims>));
    expect(final).toMatchObject({ status: 'REJECTED', reason });
  });

  it('leaves the account without a passport value in AD after all those refusals', async () => {
    expect(
      (await admin.altSecurityIdentities('user04')).filter((v) => v.startsWith('PASSPORT:')),
    ).toEqual([]);
  });

  it('ends CANCELLED with USER_CANCELLED when the user cancels in the app', async () => {
    const started = await startRegistration(t, await bearerFor(t, 'user04'));
    const follower = followStatus(t.wsUrl, started.session.id, started.sessionToken);
    await follower.waitFor((e) => e.status === 'AWAITING_APP');
    await t.broker.deny(started.session.activationCode);
    const events = await follower.done;
    expect(events.map((e) => [e.status, e.reason])).toEqual([
      ['AWAITING_APP', null],
      ['CANCELLED', 'USER_CANCELLED'],
    ]);
    expect(await t.app.services.records.byId(started.session.id)).toMatchObject({
      outcome: 'CANCELLED',
    });
  });

  it('pushes CANCELLED to subscribers when the front end cancels', async () => {
    const started = await startRegistration(t, await bearerFor(t, 'user04'));
    const follower = followStatus(t.wsUrl, started.session.id, started.sessionToken);
    await follower.waitFor((e) => e.status === 'AWAITING_APP');
    await httpGraphQL(t.url, CancelVerificationDocument, {
      sessionId: started.session.id,
      sessionToken: started.sessionToken,
    });
    const events = await follower.done;
    expect(events.map((e) => e.status)).toEqual(['AWAITING_APP', 'CANCELLED']);
    // The app's answer after the cancel changes nothing.
    await t.broker.approve(started.session.activationCode, uniquePassport()).catch(() => undefined);
    expect((await t.app.services.sessions.byId(started.session.id))!.status).toBe('CANCELLED');
  });

  it('pushes EXPIRED when the app never answers', async () => {
    const started = await startRegistration(t, await bearerFor(t, 'user04'));
    const events = await followStatus(t.wsUrl, started.session.id, started.sessionToken).done;
    expect(events.map((e) => [e.status, e.reason])).toEqual([
      ['AWAITING_APP', null],
      ['EXPIRED', 'TIMED_OUT'],
    ]);
    expect(await t.app.services.records.byId(started.session.id)).toMatchObject({
      outcome: 'EXPIRED',
    });
  }, 60_000);

  it('does not start for an anonymous caller', async () => {
    const anonymous = await httpGraphQL(t.url, StartPassportRegistrationDocument);
    expect(anonymous.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('does not start for an account disabled in AD since its token was issued', async () => {
    const dorte = await t.app.services.directory.findByUsername('dorte');
    const { token } = await t.app.services.tokens.issue(dorte!);
    const answer = await httpGraphQL(t.url, StartPassportRegistrationDocument, undefined, {
      authorization: `Bearer ${token}`,
    });
    expect(answer.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect(answer.errors![0].message).toBe('The account is disabled or no longer exists');
  });

  it('does not start outside the internal network, even with a valid token', async () => {
    const outside = await startTestApp(
      testEnv({ INTERNAL_NETWORKS: '10.0.0.0/8', TRUST_PROXY: '127.0.0.1' }),
    );
    try {
      // Both apps share the test signing key, so the token is valid on the second one.
      const bearer = await bearerFor(t, 'user04');
      const answer = await httpGraphQL(outside.url, StartPassportRegistrationDocument, undefined, {
        authorization: bearer,
        'x-forwarded-for': '203.0.113.5',
      });
      expect(answer.errors![0].extensions!.code).toBe('NOT_INTERNAL_NETWORK');
    } finally {
      await outside.close();
    }
  });
});
