import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StartPassportLoginDocument, VerificationSessionDocument } from '../../generated/graphql';
import { runFerretDb } from '../../src/dev/dev-database';
import { freePort } from '../../src/dev/free-port';
import { createLogger } from '../../src/logger';
import { httpGraphQL } from '../support/graphql-client';
import { metric } from '../support/metrics';
import { startTestApp, testEnv, type TestApp } from '../support/test-app';
import {
  bearerFor,
  DomainAdmin,
  eventually,
  followStatus,
  startRegistration,
  uniquePassport,
} from '../support/verification-helpers';

/**
 * MongoDB (here FerretDB of this file's own) stopped and started again in the middle of a
 * registration: requests fail with SERVICE_UNAVAILABLE while it is down, the service stays
 * alive, and the open session finishes afterwards with nothing lost or written twice.
 */
describe('when MongoDB stops and starts again mid-flow', () => {
  const log = createLogger('error');
  const dir = mkdtempSync(join(tmpdir(), 'ferretdb-outage-'));
  let port: number;
  let database: { stop(): Promise<void> };
  let t: TestApp;

  beforeAll(async () => {
    port = await freePort();
    database = await runFerretDb(log, dir, port);
    t = await startTestApp(testEnv({ MONGODB_URI: `mongodb://127.0.0.1:${port}/outage` }));
  });
  afterAll(async () => {
    await t.close();
    await database.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers SERVICE_UNAVAILABLE while down, then finishes the open registration', async () => {
    const started = await startRegistration(t, await bearerFor(t, 'user21'));
    const follower = followStatus(t.wsUrl, started.session.id, started.sessionToken);
    await follower.waitFor((e) => e.status === 'AWAITING_APP');

    await database.stop();
    const login = await httpGraphQL(t.url, StartPassportLoginDocument);
    expect(login.errors?.[0]).toMatchObject({
      message: 'The service is temporarily unavailable; try again later',
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
    expect(JSON.stringify(login)).not.toMatch(/Mongo|127\.0\.0\.1|ECONNREFUSED/);
    const session = await httpGraphQL(t.url, VerificationSessionDocument, {
      sessionId: started.session.id,
      sessionToken: started.sessionToken,
    });
    expect(session.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ checks: { mongodb: 'unavailable' } });
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    expect(
      await metric(t, 'passport_dependency_errors_total', { dependency: 'mongodb' }),
    ).toBeGreaterThan(0);

    // The user finishes in the app while the database is still down.
    await t.broker.approve(started.session.activationCode, uniquePassport());
    database = await runFerretDb(log, dir, port);

    const events = await follower.done;
    expect(events.map((e) => e.status)).toEqual(['AWAITING_APP', 'VERIFIED']);
    expect(events[1]).toMatchObject({ binding: { username: 'user21', status: 'ACTIVE' } });

    const { models } = t.app.services;
    expect(await models.records.countDocuments({ _id: started.session.id })).toBe(1);
    expect(await models.bindings.countDocuments({ username: 'user21' })).toBe(1);
    const values = await new DomainAdmin().altSecurityIdentities('user21');
    expect(values.filter((v) => v.startsWith('PASSPORT:'))).toHaveLength(1);
    await eventually(async () => (await fetch(`${t.url}/readyz`)).status === 200);
  }, 90_000);
});
