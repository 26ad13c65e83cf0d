import { parentPort, workerData } from 'node:worker_threads';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * Subscribers, in a worker thread of their own so that their memory and CPU are not counted
 * as the server's. Each session gets one graphql-ws connection and one subscription.
 */
interface Job {
  wsUrl: string;
  sessions: { id: string; token: string }[];
}

interface Outcome {
  id: string;
  finals: number;
  status?: string;
  receivedAt?: number;
  errors: number;
}

const { wsUrl, sessions } = workerData as Job;
const QUERY = `subscription($sessionId: ID!, $sessionToken: String!) {
  verificationStatus(sessionId: $sessionId, sessionToken: $sessionToken) { status reason } }`;
const outcomes = new Map<string, Outcome>();
const clients: ReturnType<typeof createClient>[] = [];
let waiting = 0;
let done = 0;

for (const session of sessions) {
  const outcome: Outcome = { id: session.id, finals: 0, errors: 0 };
  outcomes.set(session.id, outcome);
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
  });
  clients.push(client);
  let seenWaiting = false;
  client.subscribe<{ verificationStatus: { status: string } }>(
    { query: QUERY, variables: { sessionId: session.id, sessionToken: session.token } },
    {
      next: ({ data, errors }) => {
        if (errors) return void outcome.errors++;
        const status = data!.verificationStatus.status;
        if (status === 'AWAITING_APP') {
          if (!seenWaiting && ++waiting === sessions.length)
            parentPort!.postMessage({ type: 'ready' });
          seenWaiting = true;
          return;
        }
        outcome.finals++;
        outcome.status = status;
        outcome.receivedAt ??= Date.now();
      },
      error: () => {
        outcome.errors++;
        if (++done === sessions.length) finish();
      },
      complete: () => {
        if (++done === sessions.length) finish();
      },
    },
  );
}

function finish(): void {
  parentPort!.postMessage({ type: 'done', outcomes: [...outcomes.values()] });
}

parentPort!.on('message', async (message: { type: string }) => {
  if (message.type === 'close') {
    await Promise.allSettled(clients.map((c) => c.dispose()));
    parentPort!.postMessage({ type: 'closed' });
  }
});
