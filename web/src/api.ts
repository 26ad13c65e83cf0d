import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import {
  VerificationStatusDocument,
  type VerificationStatusSubscription,
} from '../../generated/graphql';

/** A GraphQL error as the API sends it. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'passport-assurance.accessToken';

/** The access token of this tab, if signed in. */
export function accessToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setAccessToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** Runs a query or mutation over HTTP; throws ApiError with the first error's code. */
export async function request<T, V>(document: TypedDocumentNode<T, V>, variables?: V): Promise<T> {
  const token = accessToken();
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as {
    data?: T;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  if (body.errors?.length) {
    const [first] = body.errors;
    throw new ApiError(first.message, first.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  }
  return body.data as T;
}

let wsClient: Client | undefined;

function socket(): Client {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  wsClient ??= createClient({
    url,
    connectionParams: () => ({
      authorization: accessToken() ? `Bearer ${accessToken()}` : undefined,
    }),
  });
  return wsClient;
}

export type StatusEvent = VerificationStatusSubscription['verificationStatus'];

/** Follows a session's status until its final state; returns a function that stops it. */
export function followStatus(
  sessionId: string,
  sessionToken: string,
  onEvent: (event: StatusEvent) => void,
  onError: (error: unknown) => void,
): () => void {
  return socket().subscribe<VerificationStatusSubscription>(
    { query: print(VerificationStatusDocument), variables: { sessionId, sessionToken } },
    {
      next: (result) => {
        if (result.errors?.length) onError(new ApiError(result.errors[0].message, 'ERROR'));
        else if (result.data) onEvent(result.data.verificationStatus);
      },
      error: onError,
      complete: () => undefined,
    },
  );
}

/** Escapes text for use inside HTML. */
export function html(text: unknown): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** The page's root element. */
export function root(): HTMLElement {
  return document.getElementById('app')!;
}
