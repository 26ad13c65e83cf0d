import { createClient } from 'graphql-ws';
import { print } from 'graphql';
import WebSocket from 'ws';
import { VerificationSessionDocument, VerificationStatusDocument } from '../../generated/graphql';
import {
  startBrokerSimulator,
  type BrokerSimulator,
} from '../../src/dev/broker-simulator/broker-simulator';
import { httpGraphQL } from '../support/graphql-client';
import { startServiceProcess } from '../support/service-process';
import { sharedRedisEnv, startTestApp, testEnv, type TestApp } from '../support/test-app';
import { followStatus, startLogin, uniquePassport } from '../support/verification-helpers';

/**
 * An orchestrator stops one of two instances (SIGTERM) while users wait in the app with open
 * subscriptions. Their clients see the socket go away (1001), not a finished subscription;
 * they resume on the other instance with verificationSession and a new subscription, and
 * that instance's poller takes the sessions over at once: the stopped one holds no round.
 */
describe('SIGTERM while subscriptions are open', () => {
  let broker: BrokerSimulator;
  let survivor: TestApp;
  const env = testEnv({ ...sharedRedisEnv(), LOG_LEVEL: 'info' });

  beforeAll(async () => {
    broker = await startBrokerSimulator({ pollIntervalSeconds: 1 });
    survivor = await startTestApp(env, broker);
  });
  afterAll(async () => {
    await survivor.close();
    await broker.close();
  });

  /** Subscribes on the doomed instance; resolves with how the subscription ended. */
  function subscribeUntilClosed(wsUrl: string, sessionId: string, sessionToken: string) {
    const statuses: string[] = [];
    let completed = false;
    const closed = new Promise<number>((resolve) => {
      const client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        on: { closed: (event) => resolve((event as { code: number }).code) },
      });
      client.subscribe<{ verificationStatus: { status: string } }>(
        { query: print(VerificationStatusDocument), variables: { sessionId, sessionToken } },
        {
          next: (result) => statuses.push(result.data!.verificationStatus.status),
          error: () => undefined,
          complete: () => (completed = true),
        },
      );
    });
    return { statuses, closed, wasCompleted: () => completed };
  }

  it('closes sockets with 1001, releases its rounds, and the other instance finishes the sessions', async () => {
    const doomed = await startServiceProcess({
      ...env,
      BROKER_ISSUER: broker.issuer,
      BROKER_CLIENT_ID: broker.clientId,
      BROKER_CLIENT_SECRET: broker.clientSecret,
    });
    const logins = await Promise.all([1, 2, 3].map(() => startLogin(doomed)));
    const subscriptions = logins.map((l) =>
      subscribeUntilClosed(doomed.wsUrl, l.session.id, l.sessionToken),
    );
    for (const subscription of subscriptions) {
      await new Promise<void>(function wait(resolve) {
        if (subscription.statuses.length > 0) resolve();
        else setTimeout(() => wait(resolve), 50);
      });
    }

    doomed.kill('SIGTERM');
    const codes = await Promise.all(subscriptions.map((s) => s.closed));
    expect(codes).toEqual([1001, 1001, 1001]);
    expect(subscriptions.map((s) => s.wasCompleted())).toEqual([false, false, false]);
    expect(await doomed.exited).toBe(0);
    expect(doomed.output()).toContain('"msg":"stopped"');

    // Nothing the stopped instance claimed is left unfinished: no lease on a current round.
    const { models } = survivor.app.services;
    for (const login of logins) {
      const schedule = await models.schedules.findById(login.session.id).lean();
      const held = await models.leases.countDocuments({
        _id: { $regex: `^${login.session.id}:${schedule!.round}:` },
      });
      expect(held).toBe(0);
    }

    // The clients resume on the other instance.
    for (const login of logins) {
      const { data } = await httpGraphQL(survivor.url, VerificationSessionDocument, {
        sessionId: login.session.id,
        sessionToken: login.sessionToken,
      });
      expect(data!.verificationSession!.status).toBe('AWAITING_APP');
    }
    const followers = logins.map((l) => followStatus(survivor.wsUrl, l.session.id, l.sessionToken));
    for (const login of logins) {
      await broker.approve(login.session.activationCode, uniquePassport());
    }
    for (const follower of followers) {
      const events = await follower.done;
      expect(events.map((e) => e.status)).toEqual(['AWAITING_APP', 'REJECTED']);
    }
  }, 120_000);
});
