import { Router, type Request } from 'express';
import type { Metrics } from './metrics';
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
  /** Checked by /readyz only when status events go through Redis. */
  redis?: { ping(): Promise<unknown> };
  signingKey: SigningKey;
  metrics: Metrics;
  /** True for a request from INTERNAL_NETWORKS (after trusted proxies): who may scrape. */
  isInternal: (req: Request) => boolean;
  log: Logger;
}

/** The plain HTTP endpoints beside /graphql: liveness, readiness, metrics and the JWKS. */
export function createHttpRoutes(deps: RouteDeps): Router {
  const { mongo, directory, broker, redis, signingKey, metrics, isInternal, log } = deps;
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const [mongodb, directoryCheck, brokerCheck, redisCheck] = await Promise.all([
      probe(async () => {
        if (!mongo.db) throw new Error('not connected');
        await mongo.db.admin().command({ ping: 1 });
      }),
      probe(() => directory.ping()),
      probe(() => broker.ping()),
      redis ? probe(async () => void (await redis.ping())) : undefined,
    ]);
    const required = { mongodb, directory: directoryCheck, broker: brokerCheck };
    // Redis only speeds things up (events, a shared rate limit): shown, but not a reason to be
    // taken out of the load balancer, which would happen to every instance at once.
    const checks = { ...required, ...(redisCheck ? { redis: redisCheck } : {}) };
    const ready = Object.values(required).every((c) => c === 'ok');
    if (!ready) log.warn({ checks }, 'not ready');
    res.status(ready ? 200 : 503).json({ ready, checks });
  });

  // Operational detail (volumes, error rates) is for the operator's network, not the internet.
  router.get('/metrics', async (req, res) => {
    if (!isInternal(req)) {
      res.status(403).type('text/plain').send('Metrics are served to internal networks only\n');
      return;
    }
    const { contentType, body } = await metrics.exposition();
    res.type(contentType).send(body);
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
