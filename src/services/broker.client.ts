import { createHash } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import * as oidc from 'openid-client';
import type { BrokerConfig } from '../config';
import { BrokerUnavailableError } from '../errors';

/** What a CIBA start returned: the broker's handle and how often we may ask about it. */
export interface BrokerRequest {
  authReqId: string;
  expiresInSeconds: number;
  intervalSeconds: number;
}

/** The answer to one poll of the token endpoint. */
export type BrokerPollResult =
  | { kind: 'pending' }
  | { kind: 'slow_down' }
  | { kind: 'denied' }
  | { kind: 'expired' }
  | {
      kind: 'approved';
      /** The verified ID token's payload. */
      claims: Record<string, unknown>;
      /** SHA-256 of the ID token (base64url): evidence without keeping the token. */
      idTokenHash: string;
    };

/** The CIBA default when the broker names no interval (OpenID CIBA Core §7.3). */
const DEFAULT_INTERVAL_SECONDS = 5;
/** Seconds one HTTP call to the broker may take. */
const REQUEST_TIMEOUT_SECONDS = 10;

/**
 * The broker port: starts CIBA requests for the passport reader and polls them, one token
 * request per call, so that one scheduler can drive many sessions. Network failures, timeouts
 * and 5xx answers become BrokerUnavailableError; OAuth errors become poll results.
 */
export class BrokerClient {
  private configuration?: Promise<{ config: oidc.Configuration; jwks: JWTVerifyGetKey }>;

  /** @param onOutage called for every call that fails for want of the broker (metrics). */
  constructor(
    private readonly broker: BrokerConfig,
    private readonly onOutage: () => void = () => {},
  ) {}

  /** Starts a passport reading; the activation code is what the app shows the user to match. */
  async start(activationCode: string, requestedExpirySeconds: number): Promise<BrokerRequest> {
    const { config } = await this.discover();
    try {
      const response = await oidc.initiateBackchannelAuthentication(config, {
        scope: 'openid profile',
        amr_values: 'passport_reader',
        backchannel_token_delivery_mode: 'poll',
        login_hint: activationCode,
        binding_message: activationCode,
        requested_expiry: String(requestedExpirySeconds),
      });
      return {
        authReqId: response.auth_req_id,
        expiresInSeconds: response.expires_in,
        intervalSeconds: response.interval ?? DEFAULT_INTERVAL_SECONDS,
      };
    } catch (error) {
      throw this.outage(error);
    }
  }

  /** Asks the token endpoint once about a request. */
  async poll(authReqId: string): Promise<BrokerPollResult> {
    const { config, jwks } = await this.discover();
    let tokens;
    try {
      tokens = await oidc.genericGrantRequest(config, 'urn:openid:params:grant-type:ciba', {
        auth_req_id: authReqId,
      });
    } catch (error) {
      if (error instanceof oidc.ResponseBodyError && error.status < 500) {
        switch (error.error) {
          case 'authorization_pending':
            return { kind: 'pending' };
          case 'slow_down':
            return { kind: 'slow_down' };
          case 'access_denied':
            return { kind: 'denied' };
          case 'expired_token':
            return { kind: 'expired' };
        }
      }
      // invalid_grant (a result already handed out), invalid_client and 5xx alike: we cannot
      // get a result from this broker now.
      throw this.outage(error);
    }
    const idToken = tokens.id_token;
    if (!idToken) throw this.outage(new Error('no id_token'));
    try {
      // openid-client trusts TLS for ID tokens from the token endpoint; we check the
      // signature as well, because the token is the evidence we keep a hash of.
      const { payload } = await jwtVerify(idToken, jwks, {
        issuer: config.serverMetadata().issuer,
        audience: this.broker.clientId,
      });
      return {
        kind: 'approved',
        claims: payload as Record<string, unknown>,
        idTokenHash: createHash('sha256').update(idToken).digest('base64url'),
      };
    } catch (error) {
      throw this.outage(error);
    }
  }

  /** Resolves when the broker answers its discovery document. */
  async ping(): Promise<void> {
    const base = this.broker.issuer.endsWith('/') ? this.broker.issuer : `${this.broker.issuer}/`;
    const response = await fetch(new URL('.well-known/openid-configuration', base), {
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_SECONDS * 1000),
    });
    await response.body?.cancel();
    if (!response.ok) throw this.outage(new Error(`discovery answered ${response.status}`));
  }

  private outage(cause: unknown): BrokerUnavailableError {
    this.onOutage();
    return new BrokerUnavailableError({ cause });
  }

  private discover() {
    this.configuration ??= (async () => {
      const issuer = new URL(this.broker.issuer);
      // Plain HTTP only for a broker on this machine (the simulator in tests and the demo).
      const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
      const config = await oidc.discovery(
        issuer,
        this.broker.clientId,
        undefined,
        oidc.ClientSecretBasic(this.broker.clientSecret),
        {
          execute: issuer.protocol === 'http:' && loopback ? [oidc.allowInsecureRequests] : [],
          timeout: REQUEST_TIMEOUT_SECONDS,
        },
      );
      config.timeout = REQUEST_TIMEOUT_SECONDS;
      const jwksUri = config.serverMetadata().jwks_uri;
      if (!jwksUri) throw new Error('the broker publishes no jwks_uri');
      return {
        config,
        jwks: createRemoteJWKSet(new URL(jwksUri), {
          timeoutDuration: REQUEST_TIMEOUT_SECONDS * 1000,
        }),
      };
    })().catch((error: unknown) => {
      this.configuration = undefined; // try discovery again on the next call
      throw this.outage(error);
    });
    return this.configuration;
  }
}
