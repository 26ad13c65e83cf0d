import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  print,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
} from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A GraphQL response as a client receives it. */
export interface GraphQLResponse<T> {
  status: number;
  data?: T | null;
  errors?: readonly GraphQLFormattedError[];
}

/** Sends one operation over HTTP POST, the way a web front end does. */
export async function httpGraphQL<T, V>(
  baseUrl: string,
  document: TypedDocumentNode<T, V> | string,
  variables?: V,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({
      query: typeof document === 'string' ? document : print(document),
      variables,
    }),
  });
  const body = (await response.json()) as FormattedExecutionResult<T>;
  return { status: response.status, data: body.data, errors: body.errors };
}

/** A graphql-ws client that does not retry, so a refused connection fails the test at once. */
export function wsClient(wsUrl: string, authorization?: string): Client {
  return createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: authorization ? { authorization } : {},
  });
}

/** Runs one query or mutation over graphql-ws and resolves with its single result. */
export function wsExecute<T, V>(
  client: Client,
  document: TypedDocumentNode<T, V>,
  variables?: V,
): Promise<ExecutionResult<T>> {
  return new Promise((resolve, reject) => {
    let result: ExecutionResult<T> | undefined;
    client.subscribe<T>(
      { query: print(document), variables: variables as Record<string, unknown> },
      {
        next: (value) => (result = value as ExecutionResult<T>),
        error: reject,
        complete: () => (result ? resolve(result) : reject(new Error('no result'))),
      },
    );
  });
}
