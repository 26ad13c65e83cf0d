import type { Models } from '../models';
import type { BindingDocument, PassportBindingRecord } from '../models/passport-binding.model';
import { DataProtection, maskDocumentNumber } from './data-protection';
import type { DirectoryAccount } from './directory.service';
import type { PassportClaims } from './passport-claims';
import { isDuplicateKey } from '../models/duplicate-key';

/** A binding as the API shows it: decrypted holder details, never the document number. */
export type BindingView = Omit<PassportBindingRecord, 'document' | 'fingerprint'> & {
  id: string;
  holderName: string;
};

/**
 * Stores passport bindings. Each step is idempotent (keyed by the registration session's id)
 * so a registration that died half-way can be finished by whoever picks it up.
 */
export class PassportBindingService {
  constructor(
    private readonly models: Pick<Models, 'bindings' | 'ownerships'>,
    private readonly protection: DataProtection,
  ) {}

  /** The passport's fingerprint (HMAC over issuing country and number). */
  fingerprintOf(claims: PassportClaims): string {
    return this.protection.fingerprint(claims.issuingCountry, claims.documentNumber);
  }

  /** Creates the binding in state PENDING unless it exists already. */
  async createPending(
    bindingId: string,
    account: DirectoryAccount,
    claims: PassportClaims,
    verifiedAt: Date,
  ): Promise<void> {
    const document: BindingDocument = {
      holderName: claims.name,
      birthdate: claims.birthdate,
      gender: claims.gender,
      nationality: claims.nationality,
      documentType: claims.documentType,
      documentNumber: claims.documentNumber,
      issuingCountry: claims.issuingCountry,
      dateOfExpiry: claims.dateOfExpiry,
    };
    await this.models.bindings.updateOne(
      { _id: bindingId },
      {
        $setOnInsert: {
          accountId: account.id,
          username: account.username,
          status: 'PENDING',
          fingerprint: this.fingerprintOf(claims),
          document: this.protection.encrypt(document, bindingId),
          maskedDocumentNumber: maskDocumentNumber(claims.documentNumber),
          documentType: claims.documentType,
          issuingCountry: claims.issuingCountry,
          nationality: claims.nationality,
          documentExpiry: claims.dateOfExpiry,
          verifiedAt,
        },
      },
      { upsert: true },
    );
  }

  /**
   * Claims the passport for the account. False when another account holds it. A claim whose
   * holder no longer has a live binding of that passport (a crash between steps) is stale
   * and is taken over.
   */
  async claimOwnership(
    fingerprint: string,
    accountId: string,
    bindingId: string,
  ): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.models.ownerships.create({
          _id: fingerprint,
          accountId,
          bindingId,
          since: new Date(),
        });
        return true;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const existing = await this.models.ownerships.findById(fingerprint).lean();
      if (!existing) continue;
      if (existing.accountId === accountId) return true;
      const live = await this.models.bindings.exists({
        accountId: existing.accountId,
        fingerprint,
        status: { $in: ['PENDING', 'ACTIVE'] },
      });
      if (live) return false;
      await this.models.ownerships.deleteOne({
        _id: fingerprint,
        accountId: existing.accountId,
        bindingId: existing.bindingId,
      });
    }
    return false;
  }

  /** Undoes a registration that could not finish: the claim it made and its PENDING binding. */
  async discardPending(bindingId: string, fingerprint: string): Promise<void> {
    await this.models.ownerships.deleteOne({ _id: fingerprint, bindingId });
    await this.models.bindings.deleteOne({ _id: bindingId, status: 'PENDING' });
  }

  /**
   * Makes the binding ACTIVE and marks the account's earlier bindings REPLACED, releasing
   * their passports unless it is the same passport again.
   */
  async activate(bindingId: string, accountId: string, fingerprint: string): Promise<void> {
    await this.models.bindings.updateOne(
      { _id: bindingId, status: 'PENDING' },
      { $set: { status: 'ACTIVE' } },
    );
    const earlier = await this.models.bindings
      .find({ accountId, status: 'ACTIVE', _id: { $ne: bindingId } })
      .lean();
    for (const old of earlier) {
      await this.models.bindings.updateOne(
        { _id: old._id, status: 'ACTIVE' },
        { $set: { status: 'REPLACED', replacedAt: new Date(), replacedBy: bindingId } },
      );
      if (old.fingerprint !== fingerprint) {
        await this.models.ownerships.deleteOne({ _id: old.fingerprint, accountId });
      }
    }
  }

  /** The account's current binding (ACTIVE or DOCUMENT_EXPIRED), or null. */
  async currentForAccount(accountId: string): Promise<PassportBindingRecord | null> {
    return this.models.bindings
      .findOne({ accountId, status: { $in: ['ACTIVE', 'DOCUMENT_EXPIRED'] } })
      .sort({ verifiedAt: -1 })
      .lean();
  }

  /** The ACTIVE binding of this passport, whoever holds it. */
  async activeByFingerprint(fingerprint: string): Promise<PassportBindingRecord | null> {
    return this.models.bindings.findOne({ fingerprint, status: 'ACTIVE' }).lean();
  }

  /**
   * Marks an ACTIVE binding DOCUMENT_EXPIRED: the passport was read past its expiry. The
   * account keeps its AD value until it registers a new passport.
   */
  async markExpired(bindingId: string): Promise<void> {
    await this.models.bindings.updateOne(
      { _id: bindingId, status: 'ACTIVE' },
      { $set: { status: 'DOCUMENT_EXPIRED' } },
    );
  }

  /**
   * Marks the binding REVOKED with who, when and why, and frees its passport for a new
   * registration. The caller found it ACTIVE or DOCUMENT_EXPIRED; returns it as revoked.
   */
  async revoke(
    binding: PassportBindingRecord,
    actor: string,
    reason: string,
  ): Promise<PassportBindingRecord> {
    const revoked = {
      status: 'REVOKED' as const,
      revokedAt: new Date(),
      revokedBy: actor,
      revocationReason: reason,
    };
    await this.models.bindings.updateOne(
      { _id: binding._id, status: { $in: ['ACTIVE', 'DOCUMENT_EXPIRED'] } },
      { $set: revoked },
    );
    await this.models.ownerships.deleteOne({
      _id: binding.fingerprint,
      accountId: binding.accountId,
    });
    return { ...binding, ...revoked };
  }

  async byId(bindingId: string): Promise<PassportBindingRecord | null> {
    return this.models.bindings.findById(bindingId).lean();
  }

  /** The binding's encrypted details. */
  document(record: PassportBindingRecord): BindingDocument {
    return this.protection.decrypt<BindingDocument>(record.document, record._id);
  }

  /** What the API may show of a binding. */
  view(record: PassportBindingRecord): BindingView {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { document, fingerprint, ...shown } = record;
    return { ...shown, id: record._id, holderName: this.document(record).holderName };
  }
}
