import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * Encryption and fingerprints for passport data, both keyed from DATA_KEY through HKDF, so
 * one secret yields independent keys and a leaked fingerprint says nothing of the ciphertexts.
 */
export class DataProtection {
  private readonly encryptionKey: Buffer;
  private readonly fingerprintKey: Buffer;

  constructor(dataKey: Buffer) {
    if (dataKey.length !== 32) throw new Error('DATA_KEY must be 32 bytes');
    const derive = (label: string) =>
      Buffer.from(
        hkdfSync('sha256', dataKey, Buffer.alloc(0), `passport-assurance/${label}/${VERSION}`, 32),
      );
    this.encryptionKey = derive('encryption');
    this.fingerprintKey = derive('fingerprint');
  }

  /**
   * AES-256-GCM over the JSON of `value`. `context` (a record's id, say) is authenticated with
   * it, so a ciphertext copied onto another record does not decrypt.
   */
  encrypt(value: unknown, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** The inverse of encrypt; throws when the text was altered or belongs to another context. */
  decrypt<T>(text: string, context: string): T {
    const [version, payload] = text.split('.');
    if (version !== VERSION || !payload) throw new Error('unknown ciphertext format');
    const raw = Buffer.from(payload, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  }

  /**
   * The passport's stable identifier: HMAC-SHA256 over issuing country and document number,
   * base64url. Equal passports give equal fingerprints; nobody without DATA_KEY can invert one.
   */
  fingerprint(issuingCountry: string, documentNumber: string): string {
    return createHmac('sha256', this.fingerprintKey)
      .update(`${issuingCountry.toUpperCase()}|${documentNumber.toUpperCase()}`)
      .digest('base64url');
  }
}

/** Shows only the last few characters of a document number: "******567". */
export function maskDocumentNumber(documentNumber: string): string {
  const visible = Math.min(3, Math.floor(documentNumber.length / 3));
  return (
    '*'.repeat(documentNumber.length - visible) +
    documentNumber.slice(documentNumber.length - visible)
  );
}
