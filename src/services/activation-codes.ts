import { randomInt } from 'node:crypto';
import QRCode from 'qrcode';
import type { ActivationCodeModel } from '../models/activation-code.model';
import { isDuplicateKey } from '../models/duplicate-key';

const ATTEMPTS = 20;

/**
 * Hands out 8-digit activation codes that are unique among open sessions: the database's
 * unique _id on the code refuses a second holder, and a code whose session expired is taken
 * back when it is drawn again.
 */
export class ActivationCodes {
  constructor(
    private readonly codes: ActivationCodeModel,
    private readonly linkTemplate: string,
  ) {}

  /** Reserves a fresh code for the session until expiresAt. */
  async reserve(sessionId: string, expiresAt: Date): Promise<string> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
      try {
        await this.codes.create({ _id: code, sessionId, expiresAt });
        return code;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // A code left behind by a session that expired unnoticed is free again.
        await this.codes.deleteOne({ _id: code, expiresAt: { $lt: new Date() } });
      }
    }
    throw new Error('no free activation code after several attempts');
  }

  /** Frees the session's code. */
  async release(code: string, sessionId: string): Promise<void> {
    await this.codes.deleteOne({ _id: code, sessionId });
  }

  /** The deep link the QR code carries: the configured template with {code} filled in. */
  link(code: string): string {
    return this.linkTemplate.replace('{code}', encodeURIComponent(code));
  }
}

/** An SVG QR code of the text. */
export function qrCodeSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
