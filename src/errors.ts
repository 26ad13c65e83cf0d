/**
 * The small set of errors the service raises on purpose. Each maps to one GraphQL
 * `extensions.code` (see graphql-errors.ts); anything else reaching a client is reported
 * as INTERNAL_SERVER_ERROR with no detail.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_INTERNAL_NETWORK'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'DIRECTORY_UNAVAILABLE'
  | 'BROKER_UNAVAILABLE'
  | 'SERVICE_UNAVAILABLE';

/** Base class: `message` is safe to show to a client; `extensions` are added to the error. */
export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  readonly extensions: Record<string, unknown>;

  constructor(message: string, extensions: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.extensions = extensions;
  }
}

export class UnauthenticatedError extends AppError {
  readonly code = 'UNAUTHENTICATED';
}

export class ForbiddenError extends AppError {
  readonly code = 'FORBIDDEN';
}

export class NotInternalNetworkError extends AppError {
  readonly code = 'NOT_INTERNAL_NETWORK';
  constructor() {
    super('This operation is only available from the internal network');
  }
}

export class BadUserInputError extends AppError {
  readonly code = 'BAD_USER_INPUT';
}

export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND';
}

export class RateLimitedError extends AppError {
  readonly code = 'RATE_LIMITED';
  constructor(retryAfterSeconds: number) {
    super('Too many requests; try again later', { retryAfterSeconds });
  }
}

/** The directory could not be reached or answered with a server-side error. */
export class DirectoryUnavailableError extends AppError {
  readonly code = 'DIRECTORY_UNAVAILABLE';
  constructor(options?: ErrorOptions) {
    super('The directory is unavailable; try again later', {}, options);
  }
}

/** The passport broker could not be reached or answered with a server-side error. */
export class BrokerUnavailableError extends AppError {
  readonly code = 'BROKER_UNAVAILABLE';
  constructor(options?: ErrorOptions) {
    super('The passport service is unavailable; try again later', {}, options);
  }
}

/**
 * The service's own storage is unreachable (MongoDB down or restarting). Nothing was changed;
 * the request can be repeated once the service is ready again (see /readyz).
 */
export class ServiceUnavailableError extends AppError {
  readonly code = 'SERVICE_UNAVAILABLE';
  constructor(options?: ErrorOptions) {
    super('The service is temporarily unavailable; try again later', {}, options);
  }
}
