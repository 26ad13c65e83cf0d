import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestApp } from '../support/test-app';

describe('graceful shutdown', () => {
  it('closes WebSocket clients with 1001, stops listening and closes MongoDB and LDAP', async () => {
    const t = await startTestApp();
    const closed = new Promise<number>((resolve) => {
      const client = createClient({
        url: t.wsUrl,
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: 0,
        on: { closed: (event) => resolve((event as { code: number }).code) },
        onNonLazyError: () => undefined,
      });
      void client;
    });
    await new Promise((r) => setTimeout(r, 200));
    await t.app.mongo.asPromise();

    await t.app.close();
    expect(await closed).toBe(1001);
    await expect(fetch(`${t.url}/healthz`)).rejects.toThrow();
    expect(t.app.mongo.readyState).toBe(0);
    await expect(t.app.services.directory.ping()).rejects.toMatchObject({
      code: 'DIRECTORY_UNAVAILABLE',
    });
    await t.close(); // a second call is harmless
  });
});
