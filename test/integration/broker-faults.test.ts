import { StartPassportLoginDocument } from '../../generated/graphql';
import { httpGraphQL } from '../support/graphql-client';
import { metric } from '../support/metrics';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  eventually,
  followStatus,
  startLogin,
  uniquePassport,
} from '../support/verification-helpers';

/**
 * A misbehaving broker: 5xx answers and hung requests are retried with backoff until the
 * broker is back, and slow_down makes the poller wait 5 s longer from then on. Each case ends
 * with the user's real result, not a failure.
 */
describe('when the broker misbehaves', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** A started login, its subscriber, and the broker's id for it. */
  async function openLogin() {
    const started = await startLogin(t);
    const follower = followStatus(t.wsUrl, started.session.id, started.sessionToken);
    await follower.waitFor((e) => e.status === 'AWAITING_APP');
    const session = await t.app.services.models.sessions.findById(started.session.id).lean();
    return { started, follower, authReqId: session!.authReqId };
  }

  /** Lets the broker be itself again, approves, and returns the final event. */
  async function recoverAndFinish(login: Awaited<ReturnType<typeof openLogin>>) {
    t.broker.setFault('none');
    await t.broker.approve(login.started.session.activationCode, uniquePassport());
    const events = await login.follower.done;
    return events[events.length - 1];
  }

  afterEach(() => t.broker.setFault('none'));

  it('keeps polling through 5xx answers and finishes once the broker is back', async () => {
    const login = await openLogin();
    t.broker.setFault('unavailable');
    const before = t.broker.pollCount(login.authReqId);
    await eventually(async () => t.broker.pollCount(login.authReqId) >= before + 2);
    expect(
      await metric(t, 'passport_broker_poll_seconds_count', { answer: 'error' }),
    ).toBeGreaterThanOrEqual(2);

    const final = await recoverAndFinish(login);
    expect(final).toMatchObject({ status: 'REJECTED', reason: 'PASSPORT_NOT_REGISTERED' });
  }, 60_000);

  it('gives up on a hung request after its timeout, answers BROKER_UNAVAILABLE, and stays responsive', async () => {
    const login = await openLogin();
    t.broker.setFault('hang');
    const hungStart = httpGraphQL(t.url, StartPassportLoginDocument);
    // While the broker hangs, everything that does not need it answers at once.
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    const { errors } = await hungStart;
    expect(errors?.[0]?.extensions?.code).toBe('BROKER_UNAVAILABLE');

    const before = t.broker.pollCount(login.authReqId);
    await eventually(async () => t.broker.pollCount(login.authReqId) > before, 30_000);
    const final = await recoverAndFinish(login);
    expect(final).toMatchObject({ status: 'REJECTED', reason: 'PASSPORT_NOT_REGISTERED' });
  }, 90_000);

  it('waits 5 s longer after slow_down, as CIBA requires', async () => {
    const login = await openLogin();
    t.broker.setFault('slow_down');
    const before = t.broker.pollCount(login.authReqId);
    await eventually(async () => t.broker.pollCount(login.authReqId) > before);

    const final = await recoverAndFinish(login);
    expect(final).toMatchObject({ status: 'REJECTED', reason: 'PASSPORT_NOT_REGISTERED' });
    expect(
      await metric(t, 'passport_broker_poll_seconds_count', { answer: 'slow_down' }),
    ).toBeGreaterThanOrEqual(1);
    // The simulator raised this request's interval by 5 s per slow_down; no poll came sooner.
    expect(t.broker.earlyPolls(login.authReqId)).toBe(0);
  }, 60_000);
});
