import type { Logger } from '../logger';
import type { SessionEndingRecord } from '../models/session-ending.model';
import type {
  SessionEvidence,
  VerificationSessionRecord,
} from '../models/verification-session.model';
import type { DataProtection } from './data-protection';
import { parsePassportClaims, type PassportClaims } from './passport-claims';
import type { VerificationSessionService } from './verification-session.service';

/** The broker's result as kept (encrypted) in the session's ending before anything is done with it. */
export interface StoredBrokerResult {
  claims: Record<string, unknown>;
  idTokenHash: string;
}

/** A passport reading whose claims passed parsing, with the evidence for its record. */
export interface PassportReading {
  claims: PassportClaims;
  /** The ID token's payload as the broker sent it (auth_time and the like). */
  raw: Record<string, unknown>;
  evidence: SessionEvidence;
}

/**
 * Opens the result kept in a session's ending and parses its claims. When a claim is missing
 * or malformed it ends the session REJECTED with that claim's reason and returns null.
 */
export async function openReading(
  session: VerificationSessionRecord,
  ending: SessionEndingRecord,
  protection: DataProtection,
  sessions: VerificationSessionService,
  log: Logger,
): Promise<PassportReading | null> {
  const result = protection.decrypt<StoredBrokerResult>(ending.result!, session._id);
  const evidence: SessionEvidence = {
    brokerTransactionId: session.authReqId,
    idTokenHash: result.idTokenHash,
  };
  const parsed = parsePassportClaims(result.claims);
  if (!parsed.ok) {
    log.info({ sessionId: session._id, detail: parsed.detail }, 'passport claims refused');
    await sessions.finalize(session, 'REJECTED', parsed.reason, { evidence });
    return null;
  }
  evidence.facematchLevel = parsed.claims.facematchLevel;
  evidence.documentExpiry = parsed.claims.dateOfExpiry;
  return { claims: parsed.claims, raw: result.claims, evidence };
}
