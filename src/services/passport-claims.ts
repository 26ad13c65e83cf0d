import type { VerificationFailureReason } from './verification-state';

/** What the passport reader told us, checked and normalised. Dates are ISO "yyyy-MM-dd". */
export interface PassportClaims {
  subject: string;
  name: string;
  birthdate: string;
  gender?: string;
  nationality: string;
  documentType: string;
  documentNumber: string;
  issuingCountry: string;
  dateOfExpiry: string;
  facematchLevel: number;
}

export type ClaimsResult =
  | { ok: true; claims: PassportClaims }
  | { ok: false; reason: VerificationFailureReason; detail: string };

/**
 * Parses a date as the passport reader sends it ("dd.MM.yyyy") or as ISO ("yyyy-MM-dd",
 * optionally with a time); undefined for anything else, including 31.02.2030.
 */
export function parsePassportDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  let match = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(text);
  let [year, month, day] = match ? [match[3], match[2], match[1]] : [];
  if (!match) {
    match = /^(\d{4})-(\d{2})-(\d{2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
    if (!match) return undefined;
    [year, month, day] = [match[1], match[2], match[3]];
  }
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const iso = date.toISOString().slice(0, 10);
  return iso === `${year}-${month}-${day}` ? iso : undefined;
}

function text(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed.length > 0 && trimmed.length <= max ? trimmed : undefined;
}

/**
 * Checks the ID token's claims. A missing or malformed claim refuses the reading with the
 * reason of the check it makes impossible: no expiry date cannot pass the expiry check, no
 * country cannot pass the country check, and no name, birth date or number leaves no identity.
 */
export function parsePassportClaims(raw: Record<string, unknown>): ClaimsResult {
  const refuse = (reason: VerificationFailureReason, detail: string): ClaimsResult => ({
    ok: false,
    reason,
    detail,
  });
  const documentType = text(raw.document_type, 2)?.toUpperCase();
  if (!documentType || !/^[A-Z]{1,2}$/.test(documentType)) {
    return refuse('DOCUMENT_TYPE_NOT_ALLOWED', 'document_type missing or malformed');
  }
  const issuingCountry = text(raw.issuing_country, 3)?.toUpperCase();
  if (!issuingCountry || !/^[A-Z<]{3}$/.test(issuingCountry)) {
    return refuse('ISSUING_COUNTRY_NOT_ALLOWED', 'issuing_country missing or malformed');
  }
  const dateOfExpiry = parsePassportDate(raw.date_of_expiry);
  if (!dateOfExpiry) return refuse('DOCUMENT_EXPIRED', 'date_of_expiry missing or malformed');
  const facematchText =
    typeof raw.facematch_level === 'number' ? String(raw.facematch_level) : raw.facematch_level;
  const facematchLevel =
    typeof facematchText === 'string' && /^\d{1,3}(\.\d+)?$/.test(facematchText.trim())
      ? Number(facematchText)
      : NaN;
  if (!Number.isFinite(facematchLevel)) {
    return refuse('FACE_MATCH_TOO_LOW', 'facematch_level missing or malformed');
  }
  const subject = text(raw.sub, 200);
  const name = text(raw.name, 200);
  const birthdate = parsePassportDate(raw.birthdate);
  const documentNumber = text(raw.document_number, 20)?.toUpperCase();
  const nationality = text(raw.nationality, 3)?.toUpperCase();
  if (!subject || !name || !birthdate || !nationality) {
    return refuse('IDENTITY_MISMATCH', 'sub, name, birthdate or nationality missing or malformed');
  }
  if (!documentNumber || !/^[A-Z0-9<]{5,20}$/.test(documentNumber)) {
    return refuse('IDENTITY_MISMATCH', 'document_number missing or malformed');
  }
  return {
    ok: true,
    claims: {
      subject,
      name,
      birthdate,
      gender: text(raw.gender, 10),
      nationality,
      documentType,
      documentNumber,
      issuingCountry,
      dateOfExpiry,
      facematchLevel,
    },
  };
}
