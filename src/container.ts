import type { Connection } from 'mongoose';
import type { RuntimeConfig } from './config';
import type { Logger } from './logger';
import { createLoaders } from './loaders';
import { createModels } from './models';
import { Metrics } from './metrics';
import { RedisStatusBus } from './services/redis-status-bus';
import { AdminAccess } from './services/admin-access';
import { PassportBindingSearch } from './services/passport-binding-search.service';
import { RevocationService } from './services/revocation.service';
import { AccessTokenService } from './services/access-token.service';
import { ActivationCodes } from './services/activation-codes';
import { AssuranceRecordService } from './services/assurance-record.service';
import { BrokerClient } from './services/broker.client';
import { DataProtection } from './services/data-protection';
import { DirectoryService } from './services/directory.service';
import { LoginAssertionService } from './services/login-assertion.service';
import { LoginService } from './services/login.service';
import { PassportBindingService } from './services/passport-binding.service';
import { RateLimiter, type CallLimiter } from './services/rate-limiter';
import { SharedRateLimiter } from './services/shared-rate-limiter';
import { connectRedis } from './services/redis-connection';
import { RegistrationService } from './services/registration.service';
import { SignInService } from './services/sign-in.service';
import { SigningKey } from './services/signing-key';
import { StatusEvents } from './services/status-events';
import { VerificationPoller } from './services/verification-poller';
import { VerificationSessionService } from './services/verification-session.service';
import { VerificationStatusFeed } from './services/verification-status.feed';

/**
 * Stand-ins for the outside world. Only the benchmarks use them, to measure our own layers
 * without the directory's or broker's latency; everything else talks to real servers.
 */
export interface Ports {
  directory?: DirectoryService;
  broker?: BrokerClient;
}

/**
 * Builds every service from the configuration and the MongoDB connection: the one place
 * where the domain is wired together. Nothing here opens a connection of its own until used.
 */
export function createServices(
  config: RuntimeConfig,
  mongo: Connection,
  log: Logger,
  ports: Ports = {},
) {
  const models = createModels(mongo);
  const protection = new DataProtection(config.dataKey);
  // The gauge of open subscriptions is read from `events` at scrape time.
  const metrics = new Metrics(() => events.listenerCount);
  const redisFailed = () => metrics.dependencyFailed('redis');
  const redis = config.redisUrl ? connectRedis(config.redisUrl, log, redisFailed) : undefined;
  const bus = redis ? new RedisStatusBus(redis, log, redisFailed) : undefined;
  const events = new StatusEvents(bus, (err) => log.warn({ err }, 'Redis publish failed'));
  const directory =
    ports.directory ??
    new DirectoryService(config.ldap, () => metrics.dependencyFailed('directory'));
  const broker =
    ports.broker ?? new BrokerClient(config.broker, () => metrics.dependencyFailed('broker'));
  const signingKey = new SigningKey(config.signingKey, config.previousSigningKey);
  const tokens = new AccessTokenService(
    signingKey,
    config.assertionIssuer,
    config.accessTokenTtlSeconds,
  );
  const signIns = new SignInService(directory, tokens, config.ldapAdminGroupDn);
  const records = new AssuranceRecordService(models.records);
  const codes = new ActivationCodes(models.activationCodes, config.activationLinkTemplate);
  const sessions = new VerificationSessionService(
    models,
    codes,
    broker,
    events,
    records,
    config.verificationTtlSeconds,
    metrics,
  );
  const bindings = new PassportBindingService(models, protection);
  const registration = new RegistrationService(
    sessions,
    bindings,
    directory,
    protection,
    config.policy,
    log,
  );
  const logins = new LoginService(
    sessions,
    bindings,
    directory,
    new LoginAssertionService(signingKey, config.assertionIssuer, config.assertionAudience),
    protection,
    config.policy,
    (account) => signIns.isAdmin(account),
    log,
  );
  const { max, windowSeconds } = config.loginRateLimit;
  const localLoginLimiter = new RateLimiter(max, windowSeconds);
  const loginLimiter: CallLimiter = redis
    ? new SharedRateLimiter(redis, 'login', max, windowSeconds, localLoginLimiter, (err) => {
        redisFailed();
        log.warn({ err }, 'login rate limit: Redis unavailable, counting in this instance');
      })
    : localLoginLimiter;
  const poller = new VerificationPoller(
    models,
    sessions,
    broker,
    protection,
    {
      REGISTRATION: (session, ending) => registration.complete(session, ending),
      LOGIN: (session, ending) => logins.complete(session, ending),
    },
    metrics,
    log,
  );
  const statusFeed = new VerificationStatusFeed(sessions, events, metrics);
  const admins = new AdminAccess(directory, signIns);
  const bindingSearch = new PassportBindingSearch(models.bindings);
  const revocations = new RevocationService(directory, bindings, models.records);
  return {
    models,
    metrics,
    redis,
    bus,
    directory,
    broker,
    signingKey,
    tokens,
    signIns,
    events,
    records,
    sessions,
    bindings,
    logins,
    loginLimiter,
    poller,
    statusFeed,
    admins,
    bindingSearch,
    revocations,
    createLoaders: () => createLoaders(directory, records),
  };
}

export type Services = ReturnType<typeof createServices>;
