import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { errors as oidcErrors, type KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from '../../logger';
import { handleAppApi, readBody, sendJson, SimulatorError } from './app-api';
import { appSimulatorPage } from './app-simulator-page';
import { memoryAdapterFactory } from './memory-adapter';
import { PollPacing } from './poll-pacing';
import { SPECIMEN_PASSPORTS, type PassportReaderClaims } from './specimen-passports';

/** A CIBA request waiting for "the app". */
export interface PendingRequest {
  /** The binding_message: the activation code the user types into the app. */
  activationCode: string;
  authReqId: string;
  clientId: string;
  amrValues?: string;
  createdAt: string;
  expiresAt: string;
}

/** Faults a test can switch on to see how the service copes with a misbehaving broker. */
export const FAULTS = ['none', 'unavailable', 'hang', 'slow_down'] as const;
export type BrokerFault = (typeof FAULTS)[number];

export interface BrokerSimulatorOptions {
  port?: number;
  clientId?: string;
  clientSecret?: string;
  /** The `interval` the backchannel response advertises; polls sooner answer slow_down. */
  pollIntervalSeconds?: number;
  log?: Logger;
}

/** A running simulator: the OpenID provider plus "the app" that finishes its requests. */
export interface BrokerSimulator {
  issuer: string;
  clientId: string;
  clientSecret: string;
  pending(): PendingRequest[];
  /** Finishes the request with this activation code as if the app read the passport. */
  approve(activationCode: string, passport: string | PassportReaderClaims): Promise<void>;
  /** Finishes it as if the user cancelled in the app. */
  deny(activationCode: string): Promise<void>;
  /**
   * Makes the backchannel and token endpoints fail (503 or no answer), or every poll answer
   * slow_down, until set to 'none'.
   */
  setFault(fault: BrokerFault): void;
  /** How many token requests each auth_req_id has seen (to check polling behaviour). */
  pollCount(authReqId: string): number;
  /** Polls that came sooner than the request's interval (raised 5 s by each slow_down) allows. */
  earlyPolls(authReqId: string): number;
  close(): Promise<void>;
}

/**
 * Starts an OpenID provider (oidc-provider) with CIBA in poll mode that plays the Nets
 * passport reader: client_secret_basic, `amr_values` and `binding_message` accepted, ID tokens
 * carrying the passport claims, and an HTTP interface plus a page at /app playing the phone app.
 */
export async function startBrokerSimulator(
  options: BrokerSimulatorOptions = {},
): Promise<BrokerSimulator> {
  const clientId = options.clientId ?? 'passport-assurance';
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const interval = options.pollIntervalSeconds ?? 2;
  const pending = new Map<string, PendingRequest>();
  const readings = new Map<string, PassportReaderClaims>();
  const pacing = new PollPacing(interval);
  let fault: BrokerFault = 'none';

  const server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        grant_types: ['urn:openid:params:grant-type:ciba'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
        backchannel_token_delivery_mode: 'poll',
        id_token_signed_response_alg: 'RS256',
      },
    ],
    jwks: {
      keys: [{ ...signingKey.export({ format: 'jwk' }), kid: 'sim-1', use: 'sig', alg: 'RS256' }],
    },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    adapter: memoryAdapterFactory(),
    // The request lives as long as the relying party asked for, within ten minutes.
    ttl: {
      AccessToken: 600,
      Grant: 600,
      IdToken: 600,
      BackchannelAuthenticationRequest: (ctx) =>
        Math.min(Number(ctx?.oidc?.params?.requested_expiry) || 600, 600),
    },
    claims: {
      openid: ['sub'],
      profile: [
        'name',
        'birthdate',
        'gender',
        'nationality',
        'document_type',
        'document_number',
        'issuing_country',
        'date_of_expiry',
        'facematch_level',
      ],
    },
    // The passport reader puts the profile claims in the ID token itself.
    conformIdTokenClaims: false,
    extraParams: ['amr_values'],
    features: {
      devInteractions: { enabled: false },
      ciba: {
        enabled: true,
        deliveryModes: ['poll'],
        // Nobody is known before the passport is read: each request gets its own account id.
        processLoginHint: async () => `passport_reader:${randomUUID()}`,
        validateBindingMessage: async (_ctx: KoaContextWithOIDC, message?: string) => {
          if (!message || !/^[0-9A-Za-z-]{4,20}$/.test(message)) {
            throw new oidcErrors.InvalidBindingMessage(
              'binding_message must be the activation code',
            );
          }
        },
        validateRequestContext: async () => undefined,
        verifyUserCode: async () => undefined,
        triggerAuthenticationDevice: async (_ctx, request) => {
          const params = request.params as Record<string, string>;
          pending.set(params.binding_message, {
            activationCode: params.binding_message,
            authReqId: request.jti,
            clientId: request.clientId as string,
            amrValues: params.amr_values,
            createdAt: new Date().toISOString(),
            expiresAt: new Date(Date.now() + (request.expiration ?? 0) * 1000).toISOString(),
          });
          options.log?.info(
            { activationCode: params.binding_message },
            'broker simulator: request waiting for the app',
          );
        },
      },
    },
    findAccount: async (_ctx, accountId) => ({
      accountId,
      claims: async () => {
        const reading = readings.get(accountId);
        return { sub: accountId, ...reading };
      },
    }),
  });
  provider.on('server_error', (_ctx: unknown, err: Error) => {
    (options.log ?? console).error({ err }, 'broker simulator: server error');
  });
  // The advertised interval is part of what the poller must honour.
  provider.use(async (ctx, next) => {
    await next();
    if (
      ctx.path === '/backchannel' &&
      ctx.status === 200 &&
      ctx.body &&
      typeof ctx.body === 'object'
    ) {
      (ctx.body as Record<string, unknown>).interval = interval;
    }
  });
  const oidc = provider.callback();

  const finish = async (
    activationCode: string,
    result: 'approve' | 'deny',
    claims?: PassportReaderClaims,
  ) => {
    const request = pending.get(activationCode);
    if (!request)
      throw new SimulatorError(404, `no pending request with activation code ${activationCode}`);
    pending.delete(activationCode);
    const found = await provider.BackchannelAuthenticationRequest.find(request.authReqId);
    if (!found) throw new SimulatorError(410, 'the request has expired');
    if (result === 'deny') {
      await provider.backchannelResult(
        found,
        new oidcErrors.AccessDenied('the user cancelled in the app'),
      );
      return;
    }
    readings.set(found.accountId as string, claims!);
    const grant = new provider.Grant({ accountId: found.accountId, clientId: request.clientId });
    grant.addOIDCScope('openid profile');
    await grant.save();
    await provider.backchannelResult(found, grant, {
      amr: ['passport_reader'],
      authTime: Math.floor(Date.now() / 1000),
    });
  };

  const simulator: BrokerSimulator = {
    issuer,
    clientId,
    clientSecret,
    pending: () => [...pending.values()],
    approve: (activationCode, passport) => {
      const claims =
        typeof passport === 'string'
          ? SPECIMEN_PASSPORTS.find((p) => p.id === passport)?.claims
          : passport;
      if (!claims)
        return Promise.reject(new SimulatorError(404, `no specimen passport ${passport}`));
      return finish(activationCode, 'approve', claims);
    },
    deny: (activationCode) => finish(activationCode, 'deny'),
    setFault: (next) => {
      fault = next;
    },
    pollCount: (authReqId) => pacing.count(authReqId),
    earlyPolls: (authReqId) => pacing.earlyCount(authReqId),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  server.on('request', (req, res) => {
    void handle(req, res).catch((error: unknown) => {
      const status = error instanceof SimulatorError ? error.status : 500;
      if (status === 500) options.log?.error({ err: error }, 'broker simulator failed');
      sendJson(res, status, { error: (error as Error).message });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/app' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(appSimulatorPage());
      return;
    }
    if (url.pathname.startsWith('/app/api/')) return handleAppApi(simulator, req, res, url);

    const faulty = url.pathname === '/token' || url.pathname === '/backchannel';
    if (url.pathname === '/token' && req.method === 'POST') {
      const body = await readBody(req);
      // oidc-provider reads an already consumed body from req.body.
      (req as IncomingMessage & { body?: string }).body = body;
      const authReqId = new URLSearchParams(body).get('auth_req_id');
      if (authReqId) {
        const early = pacing.record(authReqId);
        if (fault === 'slow_down' || (fault === 'none' && early)) {
          pacing.slowDown(authReqId);
          return sendJson(res, 400, { error: 'slow_down', error_description: 'polled too fast' });
        }
      }
    }
    if (faulty && fault === 'hang') return; // never answer: the client's timeout must fire
    if (faulty && fault === 'unavailable') {
      return sendJson(res, 503, { error: 'temporarily_unavailable' });
    }
    oidc(req, res);
  }

  return simulator;
}
