import {
  CancelVerificationDocument,
  MyPassportBindingDocument,
  VerificationSessionDocument,
} from '../../generated/graphql';
import { print } from 'graphql';
import { VerificationStatusDocument } from '../../generated/graphql';
import { httpGraphQL, wsClient } from '../support/graphql-client';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  bearerFor,
  DomainAdmin,
  eventually,
  followStatus,
  startRegistration,
  uniquePassport,
} from '../support/verification-helpers';

describe('passport registration, end to end', () => {
  const admin = new DomainAdmin();
  let t: TestApp;
  const responses: string[] = [];
  const remember = <T>(response: T): T => {
    responses.push(JSON.stringify(response));
    return response;
  };

  beforeAll(async () => {
    t = await startTestApp();
    await admin.setAltSecurityIdentities('user01', [
      'MITID:UUID:9a1f0c1e-1111-4e0e-8a3d-000000000001',
    ]);
  });
  afterAll(() => t.close());

  const passport = uniquePassport({ name: 'Test User 01' });

  it('goes AWAITING_APP → VERIFIED over graphql-ws, binds the passport and mirrors it in AD', async () => {
    const bearer = await bearerFor(t, 'user01');
    const started = remember(await startRegistration(t, bearer));
    expect(started.session).toMatchObject({
      purpose: 'REGISTRATION',
      status: 'AWAITING_APP',
      reason: null,
    });
    expect(started.session.activationCode).toMatch(/^\d{8}$/);
    expect(started.session.qrCodeData).toContain(started.session.activationCode);
    expect(started.session.qrCodeSvg).toMatch(/^<svg/);
    expect(started.sessionToken.length).toBeGreaterThanOrEqual(43);
    expect(t.broker.pending().map((p) => p.activationCode)).toContain(
      started.session.activationCode,
    );

    const follower = followStatus(t.wsUrl, started.session.id, started.sessionToken);
    await follower.waitFor((e) => e.status === 'AWAITING_APP');
    await t.broker.approve(started.session.activationCode, passport);
    const events = await follower.done;
    remember(events);

    expect(events.map((e) => e.status)).toEqual(['AWAITING_APP', 'VERIFIED']);
    const binding = events[1].binding!;
    expect(binding).toMatchObject({
      status: 'ACTIVE',
      username: 'user01',
      documentType: 'P',
      issuingCountry: 'DNK',
      nationality: 'DNK',
      maskedDocumentNumber: `******${passport.document_number.slice(-3)}`,
      documentExpiry: '2033-03-11',
      holderName: 'Test User 01',
    });

    const values = await admin.altSecurityIdentities('user01');
    expect(values).toContain('MITID:UUID:9a1f0c1e-1111-4e0e-8a3d-000000000001');
    expect(values.filter((v) => v.startsWith('PASSPORT:'))).toHaveLength(1);

    const record = await t.app.services.records.byId(started.session.id);
    expect(record).toMatchObject({
      purpose: 'REGISTRATION',
      outcome: 'VERIFIED',
      level: 'Substantial',
      method: 'PASSPORT_APP',
      username: 'user01',
      bindingId: binding.id,
      facematchLevel: 8,
      documentExpiry: '2033-03-11',
      clientIp: '127.0.0.1',
    });
    expect(record!.idTokenHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(record!.brokerTransactionId).toBeTruthy();

    const mine = remember(
      await httpGraphQL(t.url, MyPassportBindingDocument, undefined, { authorization: bearer }),
    );
    expect(mine.data!.myPassportBinding).toMatchObject({ id: binding.id, status: 'ACTIVE' });

    const polled = remember(
      await httpGraphQL(t.url, VerificationSessionDocument, {
        sessionId: started.session.id,
        sessionToken: started.sessionToken,
      }),
    );
    expect(polled.data!.verificationSession).toMatchObject({
      status: 'VERIFIED',
      binding: { id: binding.id },
    });

    // A subscriber that joins after the end still gets the final state, then completion.
    const late = await followStatus(t.wsUrl, started.session.id, started.sessionToken).done;
    expect(late.map((e) => e.status)).toEqual(['VERIFIED']);
    expect(late[0].binding!.id).toBe(binding.id);
  });

  it('refuses a wrong session token everywhere with NOT_FOUND, and a cancel after the end changes nothing', async () => {
    const bearer = await bearerFor(t, 'user01');
    const started = await startRegistration(t, bearer);
    const wrong = { sessionId: started.session.id, sessionToken: 'x'.repeat(43) };

    const polled = await httpGraphQL(t.url, VerificationSessionDocument, wrong);
    expect(polled.errors![0].extensions!.code).toBe('NOT_FOUND');
    const cancelled = await httpGraphQL(t.url, CancelVerificationDocument, wrong);
    expect(cancelled.errors![0].extensions!.code).toBe('NOT_FOUND');
    await expect(
      followStatus(t.wsUrl, wrong.sessionId, wrong.sessionToken).done,
    ).rejects.toMatchObject({
      errors: [expect.objectContaining({ extensions: { code: 'NOT_FOUND' } })],
    });

    const right = { sessionId: started.session.id, sessionToken: started.sessionToken };
    const cancel = await httpGraphQL(t.url, CancelVerificationDocument, right);
    expect(cancel.data!.cancelVerification).toMatchObject({
      status: 'CANCELLED',
      reason: 'USER_CANCELLED',
    });
    const again = await httpGraphQL(t.url, CancelVerificationDocument, right);
    expect(again.data!.cancelVerification).toMatchObject({ status: 'CANCELLED' });
  });

  it('lets go of a subscription as soon as its client disconnects', async () => {
    const started = await startRegistration(t, await bearerFor(t, 'user01'));
    const client = wsClient(t.wsUrl);
    const seen = new Promise<void>((resolve) =>
      client.subscribe(
        {
          query: print(VerificationStatusDocument),
          variables: { sessionId: started.session.id, sessionToken: started.sessionToken },
        },
        { next: () => resolve(), error: () => undefined, complete: () => undefined },
      ),
    );
    await seen;
    expect(t.app.services.events.listenerCount).toBe(1);
    const rechecks = jest.spyOn(t.app.services.sessions, 'byId');
    await client.dispose();
    await eventually(async () => t.app.services.events.listenerCount === 0);
    // Let go by the disconnect itself, not by a later recheck of the session.
    expect(rechecks).not.toHaveBeenCalled();
    rechecks.mockRestore();
  });

  it('shows the full document number in no response and no log line', () => {
    expect(responses.join('\n')).not.toContain(passport.document_number);
    expect(t.logs.join('\n')).not.toContain(passport.document_number);
    expect(responses.join('\n')).toContain(passport.document_number.slice(-3));
  });
});
