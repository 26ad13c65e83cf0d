import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from './logger';
import { AppError, ServiceUnavailableError } from './errors';
import { isDatabaseOutage } from './models/database-outage';

/** Codes that graphql-js and Apollo produce for malformed requests; safe to pass through. */
const REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

interface ValidationDetail {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationDetail[];
}

/** class-validator's errors carry the whole input (passwords too); keep names and messages. */
function safeValidationErrors(details: unknown): { property: string; messages: string[] }[] {
  if (!Array.isArray(details)) return [];
  const flat: { property: string; messages: string[] }[] = [];
  const visit = (detail: ValidationDetail, prefix: string) => {
    const property = prefix ? `${prefix}.${detail.property}` : detail.property;
    if (detail.constraints) flat.push({ property, messages: Object.values(detail.constraints) });
    for (const child of detail.children ?? []) visit(child, property);
  };
  for (const detail of details as ValidationDetail[]) visit(detail, '');
  return flat;
}

/**
 * The one place where errors become what a client sees: AppErrors keep their message and
 * code, an unreachable database is SERVICE_UNAVAILABLE, request errors pass through, and everything else is logged and reported as a bare
 * INTERNAL_SERVER_ERROR so that no stack, DN or database text leaks.
 */
export function createErrorFormatter(log: Logger, onDatabaseOutage: () => void = () => {}) {
  return function formatError(formatted: GraphQLFormattedError, error: unknown) {
    const thrown = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    const outage = isDatabaseOutage(thrown);
    if (outage) onDatabaseOutage();
    const original = outage ? new ServiceUnavailableError({ cause: thrown }) : thrown;
    const base = { locations: formatted.locations, path: formatted.path };
    if (original instanceof AppError) {
      return {
        ...base,
        message: original.message,
        extensions: { ...original.extensions, code: original.code },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && REQUEST_CODES.has(code)) {
      const validationErrors = formatted.extensions?.validationErrors;
      return {
        ...base,
        message: validationErrors ? 'Invalid arguments' : formatted.message,
        extensions: validationErrors
          ? { code, validationErrors: safeValidationErrors(validationErrors) }
          : { code },
      };
    }
    log.error({ err: original }, 'unexpected error in a GraphQL operation');
    return {
      ...base,
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

/** Formats a graphql-js result's errors (used for graphql-ws, which Apollo does not format). */
export function formatGraphQLErrors(
  formatError: ReturnType<typeof createErrorFormatter>,
  errors: readonly GraphQLError[],
): GraphQLFormattedError[] {
  return errors.map((e) => formatError(e.toJSON(), e));
}
