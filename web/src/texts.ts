import type { VerificationFailureReason } from '../../generated/graphql';

/** Every refusal in plain words, English first, then Danish. */
export const REASONS: Record<VerificationFailureReason, [en: string, da: string]> = {
  USER_CANCELLED: ['You cancelled the verification.', 'Du afbrød verificeringen.'],
  TIMED_OUT: [
    'The app did not finish in time. Please start again.',
    'App’en blev ikke færdig i tide. Start venligst forfra.',
  ],
  DOCUMENT_EXPIRED: ['The passport has expired.', 'Passet er udløbet.'],
  DOCUMENT_TYPE_NOT_ALLOWED: [
    'This kind of document cannot be used. Please use a passport.',
    'Denne type dokument kan ikke bruges. Brug venligst et pas.',
  ],
  ISSUING_COUNTRY_NOT_ALLOWED: [
    'Passports from this country cannot be used here.',
    'Pas fra dette land kan ikke bruges her.',
  ],
  FACE_MATCH_TOO_LOW: [
    'Your face could not be matched to the passport photo. Please try again in good light.',
    'Dit ansigt kunne ikke genkendes på pasbilledet. Prøv igen i godt lys.',
  ],
  IDENTITY_MISMATCH: [
    'The passport does not match the one registered for you.',
    'Passet svarer ikke til det, der er registreret for dig.',
  ],
  PASSPORT_NOT_REGISTERED: [
    'This passport is not registered. Register it first on the internal network.',
    'Dette pas er ikke registreret. Registrér det først på det interne netværk.',
  ],
  PASSPORT_REGISTERED_TO_ANOTHER_ACCOUNT: [
    'This passport is registered to another account.',
    'Dette pas er registreret til en anden konto.',
  ],
  ACCOUNT_DISABLED: ['Your account is disabled.', 'Din konto er spærret.'],
  BROKER_UNAVAILABLE: [
    'The passport service is unavailable. Please try again later.',
    'Pas-tjenesten er ikke tilgængelig. Prøv igen senere.',
  ],
  DIRECTORY_UNAVAILABLE: [
    'The user directory is unavailable. Please try again later.',
    'Brugerkataloget er ikke tilgængeligt. Prøv igen senere.',
  ],
};

/** The reason as two lines of HTML-safe text. */
export function reasonText(reason: VerificationFailureReason | null | undefined): [string, string] {
  return reason ? REASONS[reason] : ['Something went wrong.', 'Noget gik galt.'];
}
