import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface SubscriberOutcome {
  id: string;
  finals: number;
  status?: string;
  receivedAt?: number;
  errors: number;
}

/** Subscribers running in a worker thread; `ready` resolves once every one saw AWAITING_APP. */
export function startSubscribers(wsUrl: string, sessions: { id: string; token: string }[]) {
  const worker = new Worker(join(__dirname, 'subscribers-worker.js'), {
    workerData: { wsUrl, sessions },
  });
  let onReady: () => void;
  let onDone: (outcomes: SubscriberOutcome[]) => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const done = new Promise<SubscriberOutcome[]>((resolve) => (onDone = resolve));
  worker.on('message', (message: { type: string; outcomes?: SubscriberOutcome[] }) => {
    if (message.type === 'ready') onReady();
    if (message.type === 'done') onDone(message.outcomes!);
  });
  return {
    ready,
    done,
    async close() {
      const closed = new Promise((resolve) =>
        worker.on('message', (m: { type: string }) => m.type === 'closed' && resolve(m)),
      );
      worker.postMessage({ type: 'close' });
      await Promise.race([closed, new Promise((r) => setTimeout(r, 5000))]);
      await worker.terminate();
    },
  };
}
