import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Field names whose values never reach a log line, wherever they appear. */
const SECRET_KEYS = [
  'password',
  'bindPassword',
  'clientSecret',
  'accessToken',
  'sessionToken',
  'authorization',
  'assertion',
  'dataKey',
  'signingKey',
  'documentNumber',
  'document_number',
  'id_token',
];

const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/** Creates the service's logger; tests pass a destination to capture and inspect lines. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'passport-assurance' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}
