import { DataProtection, maskDocumentNumber } from '../../src/services/data-protection';

describe('data protection', () => {
  const protection = new DataProtection(Buffer.alloc(32, 1));

  it('decrypts what it encrypted, for the same context only', () => {
    const text = protection.encrypt({ documentNumber: '201234567' }, 'binding-1');
    expect(text).toMatch(/^v1\./);
    expect(text).not.toContain('201234567');
    expect(protection.decrypt(text, 'binding-1')).toEqual({ documentNumber: '201234567' });
    expect(() => protection.decrypt(text, 'binding-2')).toThrow();
  });

  it('refuses a tampered ciphertext', () => {
    const text = protection.encrypt('secret', 'c');
    const raw = Buffer.from(text.slice(3), 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(() => protection.decrypt(`v1.${raw.toString('base64url')}`, 'c')).toThrow();
  });

  it('gives the same fingerprint for the same passport, whatever the case, and differs otherwise', () => {
    const fp = protection.fingerprint('DNK', '201234567');
    expect(fp).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(protection.fingerprint('dnk', '201234567')).toBe(fp);
    expect(protection.fingerprint('SWE', '201234567')).not.toBe(fp);
    expect(protection.fingerprint('DNK', '201234568')).not.toBe(fp);
    expect(new DataProtection(Buffer.alloc(32, 2)).fingerprint('DNK', '201234567')).not.toBe(fp);
  });

  it('masks all but the last characters of a document number', () => {
    expect(maskDocumentNumber('201234567')).toBe('******567');
    expect(maskDocumentNumber('L898902C3')).toBe('******2C3');
    expect(maskDocumentNumber('AB12')).toBe('***2');
  });
});
