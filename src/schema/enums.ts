import { registerEnumType } from 'type-graphql';
import {
  VERIFICATION_FAILURE_REASONS,
  VERIFICATION_PURPOSES,
  VERIFICATION_STATUSES,
} from '../services/verification-state';

/** Turns a list of names into the { NAME: 'NAME' } object type-graphql registers as an enum. */
function enumOf<T extends string>(names: readonly T[]): { [K in T]: K } {
  return Object.fromEntries(names.map((n) => [n, n])) as { [K in T]: K };
}

export const VerificationPurpose = enumOf(VERIFICATION_PURPOSES);
registerEnumType(VerificationPurpose, {
  name: 'VerificationPurpose',
  description:
    'REGISTRATION binds a passport to the signed-in account; LOGIN proves who someone is',
});

export const VerificationStatus = enumOf(VERIFICATION_STATUSES);
registerEnumType(VerificationStatus, {
  name: 'VerificationStatus',
  description: 'AWAITING_APP until the app finishes; every other state is final',
});

export const VerificationFailureReason = enumOf(VERIFICATION_FAILURE_REASONS);
registerEnumType(VerificationFailureReason, { name: 'VerificationFailureReason' });

export const PassportBindingStatus = enumOf([
  'ACTIVE',
  'REPLACED',
  'REVOKED',
  'DOCUMENT_EXPIRED',
] as const);
registerEnumType(PassportBindingStatus, {
  name: 'PassportBindingStatus',
  description: 'REPLACED: the account registered another passport since',
});
