import type { IncomingMessage, ServerResponse } from 'node:http';
import { FAULTS, type BrokerFault, type BrokerSimulator } from './broker-simulator';
import { SPECIMEN_PASSPORTS, type PassportReaderClaims } from './specimen-passports';

/** Refusals the simulator's HTTP interface reports as 4xx. */
export class SimulatorError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The JSON API under /app/api/ that the phone-app page (and tests over HTTP) use:
 * GET passports, GET requests, POST requests/<code>/approve|deny, POST fault.
 */
export async function handleAppApi(
  simulator: BrokerSimulator,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const parts = url.pathname.split('/').slice(3); // after /app/api/
  if (req.method === 'GET' && parts[0] === 'passports') {
    return sendJson(res, 200, SPECIMEN_PASSPORTS);
  }
  if (req.method === 'GET' && parts[0] === 'requests') {
    return sendJson(res, 200, simulator.pending());
  }
  if (req.method === 'POST' && parts[0] === 'requests' && parts.length === 3) {
    const body = JSON.parse((await readBody(req)) || '{}') as {
      passportId?: string;
      passport?: PassportReaderClaims;
    };
    const code = decodeURIComponent(parts[1]);
    if (parts[2] === 'approve')
      await simulator.approve(code, body.passport ?? body.passportId ?? '');
    else if (parts[2] === 'deny') await simulator.deny(code);
    else throw new SimulatorError(404, 'unknown action');
    return sendJson(res, 200, { ok: true });
  }
  if (req.method === 'POST' && parts[0] === 'fault') {
    const { fault: next } = JSON.parse((await readBody(req)) || '{}') as { fault?: BrokerFault };
    if (!next || !FAULTS.includes(next)) {
      throw new SimulatorError(400, `fault must be one of ${FAULTS.join(', ')}`);
    }
    simulator.setFault(next);
    return sendJson(res, 200, { fault: next });
  }
  throw new SimulatorError(404, 'not found');
}

/** The request body as text, at most 64 KB. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 64 * 1024) reject(new SimulatorError(413, 'body too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

/** Answers with a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
