import {
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import type { ContextFactory, RequestContext } from './context';
import { formatGraphQLErrors, type createErrorFormatter } from './graphql-errors';
import { OPERATION_LIMITS, operationLimitsRule } from './graphql-limits';

/** What one graphql-ws connection may hold and send. */
export const WS_LIMITS = {
  /** Operations running at once on one connection; the next one gets an error. */
  maxSubscriptions: 10,
  /** A socket that has not sent connection_init by then is closed (4408). */
  connectionInitWaitMs: 10_000,
} as const;

type Extra = { requestContext: RequestContext };

/**
 * graphql-ws on the HTTP server's /graphql path, with the same limits and error formatting as
 * the HTTP endpoint. Returns the WebSocket server (to close its clients) and a dispose().
 */
export function createGraphQLWebSocketServer(
  httpServer: Server,
  schema: GraphQLSchema,
  contexts: ContextFactory,
  formatError: ReturnType<typeof createErrorFormatter>,
) {
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    // A message above the request size limit closes the socket (1009).
    maxPayload: OPERATION_LIMITS.maxRequestBytes,
  });
  const format = (errors: readonly GraphQLError[]) => formatGraphQLErrors(formatError, errors);
  const cleanup = useServer<Record<string, unknown>, Extra>(
    {
      schema,
      connectionInitWaitTimeout: WS_LIMITS.connectionInitWaitMs,
      onConnect: async (ctx) => {
        ctx.extra.requestContext = await contexts.create(
          ctx.extra.request,
          ctx.connectionParams?.authorization,
        );
        return true;
      },
      context: (ctx) => ctx.extra.requestContext,
      onSubscribe: (ctx, _id, payload) => {
        // graphql-ws has already counted this operation among the connection's subscriptions.
        if (Object.keys(ctx.subscriptions).length > WS_LIMITS.maxSubscriptions) {
          return [
            requestError(
              `At most ${WS_LIMITS.maxSubscriptions} operations at once per connection`,
              'BAD_USER_INPUT',
            ),
          ];
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: OPERATION_LIMITS.maxTokens });
        } catch (error) {
          return [requestError((error as Error).message, 'GRAPHQL_PARSE_FAILED')];
        }
        const errors = validate(schema, document, [...specifiedRules, operationLimitsRule]);
        if (errors.length > 0) {
          return errors.map((e) => requestError(e.message, 'GRAPHQL_VALIDATION_FAILED', e));
        }
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
        };
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: format(result.errors) } : result,
      onError: (_ctx, _id, _payload, errors) => format(errors),
    },
    wsServer,
  );
  return { wsServer, dispose: () => cleanup.dispose() };
}

/** A request error with its code (and the source location of the one it stands for). */
function requestError(message: string, code: string, of?: GraphQLError): GraphQLError {
  return new GraphQLError(message, {
    nodes: of?.nodes,
    source: of?.source,
    positions: of?.positions,
    extensions: { code },
  });
}
