import { StartPassportLoginDocument } from '../../generated/graphql';
import { httpGraphQL } from '../support/graphql-client';
import { metric } from '../support/metrics';
import { startTestApp, testEnv, type TestApp } from '../support/test-app';
import {
  eventually,
  followStatus,
  loginWith,
  registerPassport,
  startLogin,
  uniquePassport,
} from '../support/verification-helpers';

/** GET /metrics: what an operator's Prometheus scrapes, from the internal network only. */
describe('metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('serves the Prometheus text format', async () => {
    const response = await fetch(`${t.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    for (const name of [
      'passport_sessions_started_total',
      'passport_sessions_finished_total',
      'passport_open_subscriptions',
      'passport_broker_poll_seconds',
      'passport_status_push_seconds',
      'passport_status_rereads_total',
      'passport_dependency_errors_total',
      'process_cpu_seconds_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it('counts sessions started and finished by purpose and outcome, polls and pushes', async () => {
    const passport = uniquePassport();
    await registerPassport(t, 'user20', passport);
    const { final } = await loginWith(t, uniquePassport());
    expect(final).toMatchObject({ status: 'REJECTED', reason: 'PASSPORT_NOT_REGISTERED' });

    expect(await metric(t, 'passport_sessions_started_total', { purpose: 'REGISTRATION' })).toBe(1);
    expect(await metric(t, 'passport_sessions_started_total', { purpose: 'LOGIN' })).toBe(1);
    const finished = (labels: Record<string, string>) =>
      metric(t, 'passport_sessions_finished_total', labels);
    expect(await finished({ purpose: 'REGISTRATION', outcome: 'VERIFIED', reason: '' })).toBe(1);
    expect(
      await finished({
        purpose: 'LOGIN',
        outcome: 'REJECTED',
        reason: 'PASSPORT_NOT_REGISTERED',
      }),
    ).toBe(1);
    expect(await metric(t, 'passport_broker_poll_seconds_count', { answer: 'approved' })).toBe(2);
    // Each follower got its final state once: as an event (timed), or, should the event come
    // later than the 5 s re-read, from the re-read (counted apart).
    const pushed = await metric(t, 'passport_status_push_seconds_count');
    expect(pushed).toBeGreaterThanOrEqual(1);
    expect(pushed + (await metric(t, 'passport_status_rereads_total'))).toBe(2);
  });

  it('shows the subscriptions open on this instance', async () => {
    const started = await startLogin(t);
    const follower = followStatus(t.wsUrl, started.session.id, started.sessionToken);
    await follower.waitFor((e) => e.status === 'AWAITING_APP');
    expect(await metric(t, 'passport_open_subscriptions')).toBe(1);
    await t.broker.deny(started.session.activationCode);
    await follower.done;
    await eventually(async () => (await metric(t, 'passport_open_subscriptions')) === 0);
  });

  it('counts broker errors', async () => {
    const before = await metric(t, 'passport_dependency_errors_total', { dependency: 'broker' });
    t.broker.setFault('unavailable');
    try {
      const { errors } = await httpGraphQL(t.url, StartPassportLoginDocument);
      expect(errors?.[0]?.extensions?.code).toBe('BROKER_UNAVAILABLE');
    } finally {
      t.broker.setFault('none');
    }
    expect(await metric(t, 'passport_dependency_errors_total', { dependency: 'broker' })).toBe(
      before + 1,
    );
  });
});

describe('metrics outside the internal network', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(testEnv({ INTERNAL_NETWORKS: '10.0.0.0/8' }));
  });
  afterAll(() => t.close());

  it('are refused', async () => {
    const response = await fetch(`${t.url}/metrics`);
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('passport_');
  });
});
