import { Router } from 'express';
import type { Connection } from 'mongoose';
import type { Logger } from './logger';
import type { BrokerClient } from './services/broker.client';
import type { DirectoryService } from './services/directory.service';
import type { SigningKey } from './services/signing-key';

/** How long a readiness probe waits for each dependency. */
const PROBE_TIMEOUT_MS = 2000;

interface RouteDeps {
  mongo: Connection;
  directory: DirectoryService;
  broker: BrokerClient;
  signingKey: SigningKey;
  log: Logger;
}

/** The plain HTTP endpoints beside /graphql: liveness, readiness and the JWKS. */
export function createHttpRoutes({ mongo, directory, broker, signingKey, log }: RouteDeps): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const [mongodb, directoryCheck, brokerCheck] = await Promise.all([
      probe(async () => {
        if (!mongo.db) throw new Error('not connected');
        await mongo.db.admin().command({ ping: 1 });
      }),
      probe(() => directory.ping()),
      probe(() => broker.ping()),
    ]);
    const checks = { mongodb, directory: directoryCheck, broker: brokerCheck };
    const ready = Object.values(checks).every((c) => c === 'ok');
    if (!ready) log.warn({ checks }, 'not ready');
    res.status(ready ? 200 : 503).json({ ready, checks });
  });

  router.get('/.well-known/jwks.json', async (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(await signingKey.jwkSet());
  });

  return router;
}

/** 'ok', or 'unavailable' when the check throws or takes longer than the probe timeout. */
async function probe(check: () => Promise<void>): Promise<'ok' | 'unavailable'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch {
    return 'unavailable';
  } finally {
    clearTimeout(timer);
  }
}
