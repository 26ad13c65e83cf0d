import { getIntrospectionQuery, print } from 'graphql';
import WebSocket from 'ws';
import {
  PassportBindingsDocument,
  StartPassportLoginDocument,
  VerificationStatusDocument,
} from '../../generated/graphql';
import { OPERATION_LIMITS } from '../../src/graphql-limits';
import { WS_LIMITS } from '../../src/graphql-ws-server';
import { httpGraphQL, wsClient } from '../support/graphql-client';
import { startTestApp, testEnv, type TestApp } from '../support/test-app';

type ErrorBody = { errors: { message: string; extensions: { code: string } }[] };

/**
 * Hostile clients are contained: each limit refuses what is over it with a typed error (or,
 * for raw WebSocket abuse, a close code), and the service goes on serving everyone else.
 */
describe('hostile clients', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(testEnv({ LOGIN_RATE_LIMIT_MAX: '1000' }));
  });
  afterAll(() => t.close());

  /** The service still answers a plain query and says it is alive. */
  async function expectHealthy() {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    const { data, errors } = await httpGraphQL<{ __typename: string }, never>(
      t.url,
      '{ __typename }',
    );
    expect(errors).toBeUndefined();
    expect(data).toEqual({ __typename: 'Query' });
  }

  const nested = (levels: number) =>
    `{ __schema { types { ${'ofType { '.repeat(levels)}name${' }'.repeat(levels)} } } }`;

  it('refuses a query nested deeper than the limit, and serves the IDE introspection query', async () => {
    const deep = await httpGraphQL(t.url, nested(OPERATION_LIMITS.maxDepth));
    expect(deep.status).toBe(400);
    expect(deep.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/depth \d+ is over the limit of 15/),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });

    // graphql-js's introspection query, as GraphiQL sends it, is exactly at the limit.
    const introspection = await httpGraphQL(t.url, getIntrospectionQuery());
    expect(introspection.errors).toBeUndefined();
    await expectHealthy();
  });

  it('refuses a query whose estimated cost is over the limit, and accepts a full admin page', async () => {
    const page = `passportBindings(first: 100) { edges { node { id status holderName issuingCountry
      nationality documentType maskedDocumentNumber documentExpiry verifiedAt
      account { username displayName email enabled objectGuid }
      assuranceRecords { id at purpose outcome reason level method clientIp } } } }`;
    const expensive = await httpGraphQL(t.url, `{ a: ${page} b: ${page} c: ${page} }`);
    expect(expensive.status).toBe(400);
    expect(expensive.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/complexity \d+ is over the limit of 5000/),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });

    // The admin console's own query at its largest page passes validation (and then needs a
    // signed-in admin).
    const honest = await httpGraphQL(t.url, PassportBindingsDocument, { first: 100 });
    expect(honest.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await expectHealthy();
  });

  it('refuses more aliases than the limit', async () => {
    const fields = (n: number) =>
      Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ');
    const over = await httpGraphQL(t.url, `{ ${fields(OPERATION_LIMITS.maxAliases + 1)} }`);
    expect(over.status).toBe(400);
    expect(over.errors?.[0]).toMatchObject({
      message: 'At most 20 aliases per document',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    const within = await httpGraphQL(t.url, `{ ${fields(OPERATION_LIMITS.maxAliases)} }`);
    expect(within.errors).toBeUndefined();
    await expectHealthy();
  });

  it('refuses a document with too many operations, and batched requests', async () => {
    const operations = Array.from(
      { length: OPERATION_LIMITS.maxOperations + 1 },
      (_, i) => `query q${i} { __typename }`,
    ).join('\n');
    const many = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: operations, operationName: 'q0' }),
    });
    expect(many.status).toBe(400);
    expect(((await many.json()) as ErrorBody).errors[0]).toMatchObject({
      message: 'At most 10 operations per document',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });

    const batch = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(batch.status).toBe(400);
    expect(((await batch.json()) as ErrorBody).errors[0].extensions.code).toBe('BAD_REQUEST');
    await expectHealthy();
  });

  it('stops parsing a document of more tokens than the limit', async () => {
    const fields = Array.from({ length: OPERATION_LIMITS.maxTokens }, () => '__typename').join(' ');
    const response = await httpGraphQL(t.url, `{ ${fields} }`);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/Document contains more th.t 5000 tokens/),
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
    await expectHealthy();
  });

  it('keeps Apollo CSRF prevention on: a simple cross-site request is refused', async () => {
    const formPost = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: 'mutation { startPassportLogin { sessionToken } }' }),
    });
    expect(formPost.status).toBe(400);
    const get = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(get.status).toBe(400);
    expect(await get.text()).toContain('CSRF');
    await expectHealthy();
  });

  it('applies the same limits over graphql-ws', async () => {
    const client = wsClient(t.wsUrl);
    const result = await new Promise<unknown>((resolve) =>
      client.subscribe(
        { query: nested(OPERATION_LIMITS.maxDepth) },
        { next: () => undefined, error: resolve, complete: () => resolve('completed') },
      ),
    );
    expect(result).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/depth \d+ is over the limit/),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      }),
    ]);
    await client.dispose();
    await expectHealthy();
  });

  it('bounds the operations running at once on one connection', async () => {
    const client = wsClient(t.wsUrl);
    const firstEvents: Promise<unknown>[] = [];
    for (let i = 0; i < WS_LIMITS.maxSubscriptions; i++) {
      const { data } = await httpGraphQL(t.url, StartPassportLoginDocument);
      const { session, sessionToken } = data!.startPassportLogin;
      firstEvents.push(
        new Promise((resolve, reject) =>
          client.subscribe(
            {
              query: print(VerificationStatusDocument),
              variables: { sessionId: session.id, sessionToken },
            },
            { next: resolve, error: reject, complete: () => undefined },
          ),
        ),
      );
    }
    // Each of the ten is live: it has sent the session's current state.
    for (const event of await Promise.all(firstEvents)) {
      expect(event).toMatchObject({ data: { verificationStatus: { status: 'AWAITING_APP' } } });
    }
    const { data } = await httpGraphQL(t.url, StartPassportLoginDocument);
    const eleventh = await new Promise<unknown>((resolve) =>
      client.subscribe(
        {
          query: print(VerificationStatusDocument),
          variables: {
            sessionId: data!.startPassportLogin.session.id,
            sessionToken: data!.startPassportLogin.sessionToken,
          },
        },
        { next: () => undefined, error: resolve, complete: () => resolve('completed') },
      ),
    );
    expect(eleventh).toEqual([
      expect.objectContaining({
        message: 'At most 10 operations at once per connection',
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
    await client.dispose();
    await expectHealthy();
  });

  /** Opens a raw graphql-ws socket and resolves with the code it is closed with. */
  function rawSocket(onOpen: (socket: WebSocket) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(t.wsUrl, 'graphql-transport-ws');
      socket.on('open', () => onOpen(socket));
      socket.on('close', (code) => resolve(code));
      socket.on('error', reject);
    });
  }

  it('closes a socket that sends a message over the size limit (1009)', async () => {
    const code = await rawSocket((socket) =>
      socket.send(
        JSON.stringify({
          type: 'connection_init',
          payload: { pad: 'x'.repeat(OPERATION_LIMITS.maxRequestBytes) },
        }),
      ),
    );
    expect(code).toBe(1009);
    await expectHealthy();
  });

  it('closes a socket that never sends connection_init (4408)', async () => {
    const code = await rawSocket(() => undefined);
    expect(code).toBe(4408);
    await expectHealthy();
  }, 30_000);
});

describe('in production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(testEnv({ NODE_ENV: 'production', WEB_PAGES: 'true' }));
  });
  afterAll(() => t.close());

  it('refuses introspection and serves no IDE', async () => {
    const introspection = await httpGraphQL(t.url, '{ __schema { queryType { name } } }');
    expect(introspection.status).toBe(400);
    expect(introspection.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const ide = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await ide.text()).not.toMatch(/graphiql/i);
  });
});
