import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { StartPassportLoginDocument, VerificationSessionDocument } from '../../generated/graphql';
import { httpGraphQL } from '../support/graphql-client';
import { startTestApp, testEnv, type TestApp } from '../support/test-app';
import {
  DomainAdmin,
  followStatus,
  loginWith,
  registerPassport,
  startLogin,
  uniquePassport,
} from '../support/verification-helpers';

describe('identity assurance with the passport (login)', () => {
  const admin = new DomainAdmin();
  let t: TestApp;
  const loginSessions: string[] = [];
  const login = async (
    ...args: Parameters<typeof loginWith> extends [unknown, ...infer R] ? R : never
  ) => {
    const result = await loginWith(t, ...args);
    loginSessions.push(result.started.session.id);
    return result;
  };

  const registered = uniquePassport({ name: 'Test User 13', birthdate: '03.04.1990' });

  beforeAll(async () => {
    t = await startTestApp(testEnv({ LOGIN_RATE_LIMIT_MAX: '1000' }));
    await registerPassport(t, 'user13', registered);
  });
  afterAll(() => t.close());

  it('signs a registered passport in as its AD account with an assertion the ID portal can verify', async () => {
    const { final, started } = await login(registered);
    expect(final).toMatchObject({ status: 'VERIFIED', reason: null, binding: null });
    const login13 = final.login!;
    expect(login13.account).toMatchObject({
      username: 'user13',
      displayName: 'Test User 13',
      enabled: true,
    });
    expect(login13.assuranceLevel).toBe('Substantial');

    const jwks = (await (await fetch(`${t.url}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    const { payload, protectedHeader } = await jwtVerify(
      login13.assertion,
      createLocalJWKSet(jwks),
      {
        issuer: 'urn:passport-assurance',
        audience: 'id-portal',
      },
    );
    expect(protectedHeader.kid).toBe(jwks.keys[0].kid);
    expect(payload).toMatchObject({
      sub: login13.account.id,
      preferred_username: 'user13',
      loa: 'Substantial',
      amr: ['passport'],
    });
    expect(typeof payload.auth_time).toBe('number');
    expect(typeof payload.jti).toBe('string');
    expect(payload.exp! - payload.iat!).toBe(120);
    expect(new Date(login13.expiresAt).getTime()).toBe(payload.exp! * 1000);

    const record = await t.app.services.records.byId(started.session.id);
    expect(record).toMatchObject({
      purpose: 'LOGIN',
      outcome: 'VERIFIED',
      level: 'Substantial',
      username: 'user13',
      accountId: login13.account.id,
    });

    const polled = await httpGraphQL(t.url, VerificationSessionDocument, {
      sessionId: started.session.id,
      sessionToken: started.sessionToken,
    });
    expect(polled.data!.verificationSession!.login!.assertion).toBe(login13.assertion);
  });

  it('gives the assertion to every holder of the token and nothing to a wrong token', async () => {
    const started = await startLogin(t);
    loginSessions.push(started.session.id);
    const web = followStatus(t.wsUrl, started.session.id, started.sessionToken);
    const phone = followStatus(t.wsUrl, started.session.id, started.sessionToken);
    const intruder = followStatus(t.wsUrl, started.session.id, 'not-the-token-'.padEnd(43, 'x'));
    await Promise.all([web, phone].map((f) => f.waitFor((e) => e.status === 'AWAITING_APP')));
    await t.broker.approve(started.session.activationCode, registered);
    const [a, b] = await Promise.all([web.done, phone.done]);
    expect(a[a.length - 1].login!.assertion).toBeTruthy();
    expect(b[b.length - 1].login!.assertion).toBe(a[a.length - 1].login!.assertion);
    await expect(intruder.done).rejects.toMatchObject({
      errors: [expect.objectContaining({ extensions: { code: 'NOT_FOUND' } })],
    });
    expect(intruder.events).toEqual([]);
    const polled = await httpGraphQL(t.url, VerificationSessionDocument, {
      sessionId: started.session.id,
      sessionToken: 'not-the-token',
    });
    expect(polled.errors![0].extensions!.code).toBe('NOT_FOUND');
    expect(JSON.stringify(polled)).not.toContain('eyJ');
  });

  it('refuses a passport nobody registered', async () => {
    const { final } = await login(uniquePassport());
    expect(final).toMatchObject({
      status: 'REJECTED',
      reason: 'PASSPORT_NOT_REGISTERED',
      login: null,
    });
  });

  it('refuses a passport whose binding was replaced by a newer one', async () => {
    const old = uniquePassport({ name: 'Test User 14' });
    await registerPassport(t, 'user14', old);
    await registerPassport(t, 'user14', uniquePassport({ name: 'Test User 14' }));
    const { final } = await login(old);
    expect(final).toMatchObject({ status: 'REJECTED', reason: 'PASSPORT_NOT_REGISTERED' });
  });

  it('refuses a passport whose binding was revoked', async () => {
    const passport = uniquePassport({ name: 'Test User 16' });
    const binding = await registerPassport(t, 'user16', passport);
    expect(binding.status).toBe('ACTIVE');
    await t.app.services.revocations.revoke('user16', 'passport reported lost', 'ada', '127.0.0.1');
    const { final } = await login(passport);
    expect(final).toMatchObject({ status: 'REJECTED', reason: 'PASSPORT_NOT_REGISTERED' });
  });

  it('refuses an account disabled in AD', async () => {
    const passport = uniquePassport({ name: 'Test User 15' });
    await registerPassport(t, 'user15', passport);
    await admin.setEnabled('user15', false);
    try {
      const { final, started } = await login(passport);
      expect(final).toMatchObject({ status: 'REJECTED', reason: 'ACCOUNT_DISABLED', login: null });
      expect(await t.app.services.records.byId(started.session.id)).toMatchObject({
        username: 'user15',
      });
    } finally {
      await admin.setEnabled('user15', true);
    }
  });

  it('refuses an expired document and marks the binding DOCUMENT_EXPIRED', async () => {
    const passport = uniquePassport({ name: 'Test User 17' });
    const binding = await registerPassport(t, 'user17', passport);
    const { final } = await login({ ...passport, date_of_expiry: '01.01.2020' });
    expect(final).toMatchObject({ status: 'REJECTED', reason: 'DOCUMENT_EXPIRED' });
    expect((await t.app.services.bindings.byId(binding.id))!.status).toBe('DOCUMENT_EXPIRED');
  });

  it('refuses a name or birth date that differs from the registered passport', async () => {
    const byName = await login({ ...registered, name: 'Somebody Else' });
    expect(byName.final).toMatchObject({ status: 'REJECTED', reason: 'IDENTITY_MISMATCH' });
    const byBirth = await login({ ...registered, birthdate: '04.04.1990' });
    expect(byBirth.final).toMatchObject({ status: 'REJECTED', reason: 'IDENTITY_MISMATCH' });
    const reordered = await login({ ...registered, name: 'USER, TEST 13' });
    expect(reordered.final).toMatchObject({ status: 'VERIFIED' });
  });

  it('left exactly one assurance record per login attempt', async () => {
    const records = await t.app.services.models.records.find({ purpose: 'LOGIN' }).lean();
    expect(records.map((r) => r._id).sort()).toEqual([...loginSessions].sort());
  });
});

describe('the login rate limit', () => {
  it('answers RATE_LIMITED past the limit, says when to retry, and recovers after the window', async () => {
    const t = await startTestApp(
      testEnv({ LOGIN_RATE_LIMIT_MAX: '2', LOGIN_RATE_LIMIT_WINDOW_SECONDS: '2' }),
    );
    try {
      const start = () => httpGraphQL(t.url, StartPassportLoginDocument);
      expect((await start()).errors).toBeUndefined();
      expect((await start()).errors).toBeUndefined();
      const limited = await start();
      expect(limited.errors![0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
      const retryAfter = limited.errors![0].extensions!.retryAfterSeconds as number;
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(2);
      await new Promise((r) => setTimeout(r, retryAfter * 1000 + 100));
      expect((await start()).errors).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});
