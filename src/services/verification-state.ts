/** The session states of DESIGN.md §3. */
export const VERIFICATION_STATUSES = [
  'AWAITING_APP',
  'VERIFIED',
  'REJECTED',
  'FAILED',
  'EXPIRED',
  'CANCELLED',
] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

export const VERIFICATION_PURPOSES = ['REGISTRATION', 'LOGIN'] as const;
export type VerificationPurpose = (typeof VERIFICATION_PURPOSES)[number];

export const VERIFICATION_FAILURE_REASONS = [
  'USER_CANCELLED',
  'TIMED_OUT',
  'DOCUMENT_EXPIRED',
  'DOCUMENT_TYPE_NOT_ALLOWED',
  'ISSUING_COUNTRY_NOT_ALLOWED',
  'FACE_MATCH_TOO_LOW',
  'IDENTITY_MISMATCH',
  'PASSPORT_NOT_REGISTERED',
  'PASSPORT_REGISTERED_TO_ANOTHER_ACCOUNT',
  'ACCOUNT_DISABLED',
  'BROKER_UNAVAILABLE',
  'DIRECTORY_UNAVAILABLE',
] as const;
export type VerificationFailureReason = (typeof VERIFICATION_FAILURE_REASONS)[number];

/** A terminal state never changes again. */
export function isTerminal(status: VerificationStatus): boolean {
  return status !== 'AWAITING_APP';
}

/** Which reasons each terminal state may carry; VERIFIED carries none. */
const REASONS_BY_STATUS: Record<
  Exclude<VerificationStatus, 'AWAITING_APP'>,
  readonly VerificationFailureReason[]
> = {
  VERIFIED: [],
  REJECTED: [
    'DOCUMENT_EXPIRED',
    'DOCUMENT_TYPE_NOT_ALLOWED',
    'ISSUING_COUNTRY_NOT_ALLOWED',
    'FACE_MATCH_TOO_LOW',
    'IDENTITY_MISMATCH',
    'PASSPORT_NOT_REGISTERED',
    'PASSPORT_REGISTERED_TO_ANOTHER_ACCOUNT',
    'ACCOUNT_DISABLED',
  ],
  FAILED: ['BROKER_UNAVAILABLE', 'DIRECTORY_UNAVAILABLE'],
  EXPIRED: ['TIMED_OUT'],
  CANCELLED: ['USER_CANCELLED'],
};

/**
 * Checks a transition out of AWAITING_APP against the state machine; throws on a move the
 * design does not allow (a bug, never user input).
 */
export function assertTransition(
  from: VerificationStatus,
  to: Exclude<VerificationStatus, 'AWAITING_APP'>,
  reason: VerificationFailureReason | undefined,
): void {
  if (from !== 'AWAITING_APP') throw new Error(`${from} is terminal`);
  const allowed = REASONS_BY_STATUS[to];
  const ok =
    to === 'VERIFIED' ? reason === undefined : reason !== undefined && allowed.includes(reason);
  if (!ok) throw new Error(`${to} cannot carry reason ${reason ?? 'none'}`);
}
