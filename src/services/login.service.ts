import type { PolicyConfig } from '../config';
import { DirectoryUnavailableError } from '../errors';
import type { Logger } from '../logger';
import type { SessionEndingRecord } from '../models/session-ending.model';
import type { VerificationSessionRecord } from '../models/verification-session.model';
import type { DataProtection } from './data-protection';
import type { DirectoryService } from './directory.service';
import { sameHolderName } from './holder-name';
import type { LoginAssertionService } from './login-assertion.service';
import type { PassportBindingService } from './passport-binding.service';
import { openReading } from './passport-reading';
import type { AccountView } from './sign-in.service';
import { evaluatePolicy } from './verification-policy';
import type { VerificationSessionService } from './verification-session.service';

/** What a verified login hands to the holder of the session token. */
export interface LoginGrant {
  account: AccountView;
  assuranceLevel: 'Substantial';
  assertion: string;
  /** ISO time. */
  expiresAt: string;
}

/**
 * Finishes a login whose passport reading has arrived: the registration policy, then the
 * ACTIVE binding found by the passport's fingerprint, the AD account behind it, and a
 * cross-check of name and birth date against what was bound. A VERIFIED login carries a
 * signed assertion for the ID portal.
 */
export class LoginService {
  constructor(
    private readonly sessions: VerificationSessionService,
    private readonly bindings: PassportBindingService,
    private readonly directory: DirectoryService,
    private readonly assertions: LoginAssertionService,
    private readonly protection: DataProtection,
    private readonly policy: PolicyConfig,
    private readonly isAdmin: (account: AccountView | Omit<AccountView, 'isAdmin'>) => boolean,
    private readonly log: Logger,
  ) {}

  /** The session's login grant for its token holder, while the assertion is valid. */
  grantOf(
    sessionId: string,
    encrypted: string | undefined,
  ): (Omit<LoginGrant, 'expiresAt'> & { expiresAt: Date }) | null {
    if (!encrypted) return null;
    const grant = this.protection.decrypt<LoginGrant>(encrypted, sessionId);
    const expiresAt = new Date(grant.expiresAt);
    return expiresAt.getTime() > Date.now() ? { ...grant, expiresAt } : null;
  }

  /** Completes the session from the result kept in its ending. */
  async complete(session: VerificationSessionRecord, ending: SessionEndingRecord): Promise<void> {
    const reading = await openReading(session, ending, this.protection, this.sessions, this.log);
    if (!reading) return;
    const { claims, evidence } = reading;
    const binding = await this.bindings.activeByFingerprint(this.bindings.fingerprintOf(claims));
    const who = binding ? { accountId: binding.accountId, username: binding.username } : {};

    const refusal = evaluatePolicy(claims, this.policy, new Date());
    if (refusal) {
      if (refusal === 'DOCUMENT_EXPIRED' && binding) await this.bindings.markExpired(binding._id);
      await this.sessions.finalize(session, 'REJECTED', refusal, { evidence, ...who });
      return;
    }
    if (!binding) {
      await this.sessions.finalize(session, 'REJECTED', 'PASSPORT_NOT_REGISTERED', { evidence });
      return;
    }
    const bound = this.bindings.document(binding);
    if (bound.birthdate !== claims.birthdate || !sameHolderName(bound.holderName, claims.name)) {
      await this.sessions.finalize(session, 'REJECTED', 'IDENTITY_MISMATCH', { evidence, ...who });
      return;
    }

    let account;
    try {
      account = await this.directory.findById(binding.accountId);
    } catch (error) {
      if (!(error instanceof DirectoryUnavailableError)) throw error;
      this.log.warn({ sessionId: session._id, err: error.cause }, 'login failed: directory');
      await this.sessions.finalize(session, 'FAILED', 'DIRECTORY_UNAVAILABLE', {
        evidence,
        ...who,
      });
      return;
    }
    if (!account || !account.enabled) {
      await this.sessions.finalize(session, 'REJECTED', 'ACCOUNT_DISABLED', { evidence, ...who });
      return;
    }

    const authTime =
      typeof reading.raw.auth_time === 'number'
        ? new Date(reading.raw.auth_time * 1000)
        : ending.createdAt;
    const { assertion, expiresAt } = await this.assertions.issue(account, authTime);
    const grant: LoginGrant = {
      account: { ...account, isAdmin: this.isAdmin(account) },
      assuranceLevel: 'Substantial',
      assertion,
      expiresAt: expiresAt.toISOString(),
    };
    await this.sessions.finalize(session, 'VERIFIED', undefined, {
      evidence,
      accountId: account.id,
      username: account.username,
      bindingId: binding._id,
      login: this.protection.encrypt(grant, session._id),
    });
  }
}
