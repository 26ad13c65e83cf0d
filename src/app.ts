import 'reflect-metadata';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import mongoose, { type Connection } from 'mongoose';
import type { RuntimeConfig } from './config';
import { ContextFactory, type RequestContext } from './context';
import { createErrorFormatter } from './graphql-errors';
import { buildApiSchema } from './graphql-schema';
import { createHttpRoutes } from './http-routes';
import { createWebPages } from './web-pages';
import type { Logger } from './logger';
import { AccountResolver } from './resolvers/account.resolver';
import { SignInResolver } from './resolvers/sign-in.resolver';
import { NetworkPolicy } from './services/network-policy';
import { OPERATION_LIMITS, operationLimitsRule } from './graphql-limits';
import { createGraphQLWebSocketServer } from './graphql-ws-server';
import type { Metrics } from './metrics';
import { isDuplicateKey } from './models/duplicate-key';
import { closeRedis } from './services/redis-connection';
import { createServices, type Ports, type Services } from './container';
import { AdminResolver } from './resolvers/admin.resolver';
import { PassportBindingResolver } from './resolvers/passport-binding.resolver';
import {
  VerificationResolver,
  VerificationStatusEventResolver,
} from './resolvers/verification.resolver';

/** A built, not yet listening, service: what main.ts runs and what tests start on port 0. */
export interface App {
  readonly httpServer: Server;
  readonly mongo: Connection;
  /** The wired services, for tests that look behind the API. */
  readonly services: Services;
  /** Starts listening; resolves with the base URL (http://host:port). */
  listen(port?: number, host?: string): Promise<string>;
  /** Stops accepting, closes client sockets, then Mongo and LDAP. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Wires the whole service from one configuration: the only place where services are
 * constructed and handed to each other. Tests call it with their own servers' addresses.
 */
export interface AppOptions {
  /** The broker simulator's app page, when it runs embedded (demo mode). */
  appSimulatorUrl?: string;
  /** Stand-ins for the directory or broker (benchmarks only). */
  ports?: Ports;
}

export async function createApp(
  config: RuntimeConfig,
  log: Logger,
  options: AppOptions = {},
): Promise<App> {
  const mongo = mongoose.createConnection(config.mongodbUri, {
    serverSelectionTimeoutMS: 5000,
    autoIndex: true,
    // Command events let tests (and metrics) count what a request costs.
    monitorCommands: true,
  });
  mongo.on('error', (err) => log.warn({ err }, 'MongoDB connection error'));

  const services = createServices(config, mongo, log, options.ports);
  const { directory, signingKey, signIns, sessions, bindings, logins, poller, statusFeed } =
    services;
  const contexts = new ContextFactory(
    services.tokens,
    new NetworkPolicy(config.internalNetworks),
    config.trustProxy,
    statusFeed,
    services.createLoaders,
  );

  const resolvers = new Map<object, unknown>([
    [SignInResolver, new SignInResolver(signIns)],
    [AccountResolver, new AccountResolver(signIns)],
    [
      VerificationResolver,
      new VerificationResolver(sessions, signIns, bindings, logins, services.loginLimiter),
    ],
    [
      VerificationStatusEventResolver,
      new VerificationStatusEventResolver(bindings, sessions, logins),
    ],
    [PassportBindingResolver, new PassportBindingResolver(bindings, signIns)],
    [
      AdminResolver,
      new AdminResolver(
        services.admins,
        directory,
        bindings,
        services.bindingSearch,
        services.records,
        services.revocations,
      ),
    ],
  ]);
  const schema = await buildApiSchema({ get: (cls) => resolvers.get(cls) });
  const formatError = createErrorFormatter(log, () => services.metrics.dependencyFailed('mongodb'));

  const expressApp = express();
  expressApp.disable('x-powered-by');
  const httpServer = createServer(expressApp);

  const ws = createGraphQLWebSocketServer(httpServer, schema, contexts, formatError);
  countDatabaseErrors(mongo, services.metrics);

  const apollo = new ApolloServer<RequestContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: !config.production,
    csrfPrevention: true,
    validationRules: [operationLimitsRule],
    parseOptions: { maxTokens: OPERATION_LIMITS.maxTokens },
    // main.ts owns shutdown order: HTTP, WebSockets, then MongoDB and LDAP.
    stopOnTerminationSignals: false,
    plugins: [
      // The default landing page loads from the internet; web-pages.ts serves GraphiQL instead.
      ApolloServerPluginLandingPageDisabled(),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await ws.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();
  await services.events.start();
  poller.start();

  expressApp.use(
    createHttpRoutes({
      mongo,
      directory,
      broker: services.broker,
      redis: services.redis,
      signingKey,
      metrics: services.metrics,
      isInternal: (req) => contexts.client(req).internal,
      log,
    }),
  );
  if (config.webPages) {
    expressApp.use(
      createWebPages({ appSimulatorUrl: options.appSimulatorUrl, graphqlIde: !config.production }),
    );
  }
  expressApp.use(
    '/graphql',
    express.json({ limit: OPERATION_LIMITS.maxRequestBytes }),
    expressMiddleware(apollo, {
      context: ({ req }) => contexts.create(req, req.headers.authorization),
    }),
  );
  expressApp.use(jsonErrorHandler(log));

  let closing: Promise<void> | undefined;
  return {
    httpServer,
    mongo,
    services,
    listen(port = config.port, host?: string) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve(`http://${host ? shownHost : 'localhost'}:${address.port}`);
        });
      });
    },
    close() {
      closing ??= (async () => {
        httpServer.close();
        // Going away (1001), not "complete": a client must not take a shutdown for a result.
        for (const client of ws.wsServer.clients) client.close(1001, 'Server shutting down');
        await apollo.stop();
        services.events.closeAll();
        await poller.stop();
        httpServer.closeAllConnections();
        await services.events.close();
        await Promise.allSettled([
          directory.close(),
          mongo.close(),
          services.redis && closeRedis(services.redis),
        ]);
      })();
      return closing;
    },
  };
}

/**
 * Counts MongoDB failures the driver sees: failed heartbeats (the server is unreachable) and
 * failed commands, except duplicate keys, which the design uses on purpose to decide races.
 * Operations that never reached the server are counted where they fail (errors, poller).
 */
function countDatabaseErrors(mongo: Connection, metrics: Metrics): void {
  const client = mongo.getClient();
  client.on('serverHeartbeatFailed', () => metrics.dependencyFailed('mongodb'));
  client.on('commandFailed', (event) => {
    if (!isDuplicateKey(event.failure)) metrics.dependencyFailed('mongodb');
  });
}

/** Body-parser and other middleware errors as GraphQL-shaped JSON, never an HTML stack page. */
function jsonErrorHandler(log: Logger): express.ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const status = typeof error?.status === 'number' ? error.status : 500;
    if (status >= 500) log.error({ err: error }, 'HTTP request failed');
    const message =
      status === 413
        ? `Request body larger than ${OPERATION_LIMITS.maxRequestBytes} bytes`
        : status < 500
          ? 'Malformed request'
          : 'Internal server error';
    res.status(status).json({
      errors: [
        {
          message,
          extensions: { code: status < 500 ? 'BAD_USER_INPUT' : 'INTERNAL_SERVER_ERROR' },
        },
      ],
    });
  };
}
