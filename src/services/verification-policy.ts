import type { PolicyConfig } from '../config';
import type { PassportClaims } from './passport-claims';
import type { VerificationFailureReason } from './verification-state';

/** Today's date in UTC as "yyyy-MM-dd", the form PassportClaims dates use. */
export function isoDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** True when the document's expiry date lies before `at`'s date (it is valid through that day). */
export function isDocumentExpired(claims: Pick<PassportClaims, 'dateOfExpiry'>, at: Date): boolean {
  return claims.dateOfExpiry < isoDate(at);
}

/**
 * The relying party's own acceptance rules (the broker leaves them to us): allowed document
 * types and issuing countries, an unexpired document and a high enough face match.
 * Returns the first refusal, or undefined when the passport is acceptable.
 */
export function evaluatePolicy(
  claims: PassportClaims,
  policy: PolicyConfig,
  at: Date,
): VerificationFailureReason | undefined {
  if (!policy.documentTypes.includes(claims.documentType)) return 'DOCUMENT_TYPE_NOT_ALLOWED';
  if (
    policy.issuingCountries.length > 0 &&
    !policy.issuingCountries.includes(claims.issuingCountry)
  ) {
    return 'ISSUING_COUNTRY_NOT_ALLOWED';
  }
  if (isDocumentExpired(claims, at)) return 'DOCUMENT_EXPIRED';
  if (claims.facematchLevel < policy.minFacematchLevel) return 'FACE_MATCH_TOO_LOW';
  return undefined;
}
