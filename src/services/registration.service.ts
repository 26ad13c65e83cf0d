import type { PolicyConfig } from '../config';
import { DirectoryUnavailableError } from '../errors';
import type { Logger } from '../logger';
import type { SessionEndingRecord } from '../models/session-ending.model';
import type { VerificationSessionRecord } from '../models/verification-session.model';
import type { DataProtection } from './data-protection';
import type { DirectoryService } from './directory.service';
import type { PassportBindingService } from './passport-binding.service';
import { openReading } from './passport-reading';
import { evaluatePolicy } from './verification-policy';
import type { VerificationSessionService } from './verification-session.service';

/**
 * Finishes a registration whose passport reading has arrived: policy, the binding, the AD
 * mirror, then VERIFIED. Every step can be repeated, so a registration that stopped half-way
 * is finished by whichever process picks the session up next; when the AD write fails, the
 * new binding is removed again and the session ends FAILED.
 */
export class RegistrationService {
  constructor(
    private readonly sessions: VerificationSessionService,
    private readonly bindings: PassportBindingService,
    private readonly directory: DirectoryService,
    private readonly protection: DataProtection,
    private readonly policy: PolicyConfig,
    private readonly log: Logger,
  ) {}

  /** Completes the session from the result kept in its ending. */
  async complete(session: VerificationSessionRecord, ending: SessionEndingRecord): Promise<void> {
    const reading = await openReading(session, ending, this.protection, this.sessions, this.log);
    if (!reading) return;
    const { claims, evidence } = reading;
    const refusal = evaluatePolicy(claims, this.policy, new Date());
    if (refusal) {
      await this.sessions.finalize(session, 'REJECTED', refusal, { evidence });
      return;
    }

    const fingerprint = this.bindings.fingerprintOf(claims);
    try {
      const account = await this.directory.findById(session.accountId!);
      if (!account || !account.enabled) {
        await this.sessions.finalize(session, 'REJECTED', 'ACCOUNT_DISABLED', { evidence });
        return;
      }
      await this.bindings.createPending(session._id, account, claims, new Date());
      if (!(await this.bindings.claimOwnership(fingerprint, account.id, session._id))) {
        await this.bindings.discardPending(session._id, fingerprint);
        const reason = 'PASSPORT_REGISTERED_TO_ANOTHER_ACCOUNT';
        await this.sessions.finalize(session, 'REJECTED', reason, { evidence });
        return;
      }
      await this.directory.setPassportIdentity(account.dn, fingerprint);
      await this.bindings.activate(session._id, account.id, fingerprint);
    } catch (error) {
      if (!(error instanceof DirectoryUnavailableError)) throw error;
      this.log.warn({ sessionId: session._id, err: error.cause }, 'registration failed: directory');
      await this.bindings.discardPending(session._id, fingerprint);
      await this.sessions.finalize(session, 'FAILED', 'DIRECTORY_UNAVAILABLE', { evidence });
      return;
    }
    await this.sessions.finalize(session, 'VERIFIED', undefined, {
      evidence,
      bindingId: session._id,
    });
  }
}
