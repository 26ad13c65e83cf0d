import type { RequestContext } from '../context';
import { NotInternalNetworkError, UnauthenticatedError } from '../errors';
import type { TokenSubject } from '../services/access-token.service';

/** The signed-in user, or UNAUTHENTICATED (with the token's own problem when one was sent). */
export function requireUser(context: RequestContext): TokenSubject {
  if (context.user) return context.user;
  throw context.authError ?? new UnauthenticatedError('Sign in first');
}

/** NOT_INTERNAL_NETWORK unless the caller's address is in INTERNAL_NETWORKS. */
export function requireInternalNetwork(context: RequestContext): void {
  if (!context.internal) throw new NotInternalNetworkError();
}
