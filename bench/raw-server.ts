import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildSchema, graphql } from 'graphql';

/**
 * The baseline: graphql-js on node:http serving the same schema.graphql from in-memory data,
 * with nothing of ours in between. What our server adds over this is our cost.
 */
export async function startRawServer(data: { account: object; binding: object }): Promise<{
  url: string;
  close: () => Promise<void>;
}> {
  const schema = buildSchema(
    readFileSync(join(__dirname, '..', '..', '..', 'schema.graphql'), 'utf8'),
  );
  const sessions = new Map<string, object>();
  const rootValue = {
    me: () => data.account,
    myPassportBinding: () => data.binding,
    startPassportLogin: () => {
      const id = randomUUID();
      const session = {
        id,
        purpose: 'LOGIN',
        status: 'AWAITING_APP',
        activationCode: String(Math.floor(Math.random() * 1e8)).padStart(8, '0'),
        expiresAt: new Date(Date.now() + 300_000).toISOString(),
      };
      sessions.set(id, session);
      return { session, sessionToken: randomBytes(32).toString('base64url') };
    },
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      const { query, variables } = JSON.parse(body) as {
        query: string;
        variables?: Record<string, unknown>;
      };
      const result = await graphql({ schema, source: query, rootValue, variableValues: variables });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
