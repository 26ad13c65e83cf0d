import type { IncomingMessage } from 'node:http';
import { UnauthenticatedError } from './errors';
import type { Loaders } from './loaders';
import type { AccessTokenService, TokenSubject } from './services/access-token.service';
import { clientAddress, type Cidr, type NetworkPolicy } from './services/network-policy';
import type { VerificationStatusFeed } from './services/verification-status.feed';

/** What every resolver knows about the caller. */
export interface RequestContext {
  /** The client's IP address, after trusted proxies. */
  clientIp: string;
  /** True when clientIp lies in INTERNAL_NETWORKS. */
  internal: boolean;
  /** The signed-in user, or null for an anonymous caller. */
  user: TokenSubject | null;
  /** Why a presented access token was refused; anonymous operations ignore it. */
  authError?: UnauthenticatedError;
  /** Subscriptions take their event streams from here (type-graphql gives them no instance). */
  statusFeed: VerificationStatusFeed;
  /** Batching for this request (for a WebSocket: this connection). */
  loaders: Loaders;
}

/** Builds RequestContext for HTTP requests and graphql-ws connections alike. */
export class ContextFactory {
  constructor(
    private readonly tokens: AccessTokenService,
    private readonly network: NetworkPolicy,
    private readonly trustProxy: readonly Cidr[],
    private readonly statusFeed: VerificationStatusFeed,
    private readonly createLoaders: () => Loaders,
  ) {}

  /** The client's address (after trusted proxies) and whether it is in INTERNAL_NETWORKS. */
  client(request: IncomingMessage): { clientIp: string; internal: boolean } {
    const clientIp = clientAddress(
      request.socket.remoteAddress,
      request.headers['x-forwarded-for'],
      this.trustProxy,
    );
    return { clientIp, internal: this.network.isInternal(clientIp) };
  }

  /** Context for one HTTP request or one WebSocket connection's upgrade request. */
  async create(request: IncomingMessage, authorization: unknown): Promise<RequestContext> {
    let loaders: Loaders | undefined;
    const createLoaders = this.createLoaders;
    const context: RequestContext = {
      ...this.client(request),
      user: null,
      statusFeed: this.statusFeed,
      // Built on first use: most requests and every subscription never batch anything.
      get loaders() {
        return (loaders ??= createLoaders());
      },
    };
    if (authorization === undefined || authorization === null || authorization === '') {
      return context;
    }
    const match = typeof authorization === 'string' ? /^Bearer (\S+)$/i.exec(authorization) : null;
    if (!match) {
      context.authError = new UnauthenticatedError('Authorization must be "Bearer <token>"');
      return context;
    }
    try {
      context.user = await this.tokens.verify(match[1]);
    } catch (error) {
      if (!(error instanceof UnauthenticatedError)) throw error;
      context.authError = error;
    }
    return context;
  }
}
