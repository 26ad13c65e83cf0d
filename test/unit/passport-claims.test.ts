import { parsePassportClaims, parsePassportDate } from '../../src/services/passport-claims';

const valid = {
  sub: 'passport_reader:1',
  name: 'Anna Maria Eriksson',
  birthdate: '12.08.1985',
  gender: 'F',
  nationality: 'DNK',
  document_type: 'P',
  document_number: '201234567',
  issuing_country: 'DNK',
  date_of_expiry: '11.03.2033',
  facematch_level: '8',
};

describe('passport reader claims', () => {
  it('parses dd.MM.yyyy and ISO dates, and refuses impossible ones', () => {
    expect(parsePassportDate('12.08.1985')).toBe('1985-08-12');
    expect(parsePassportDate('1985-08-12')).toBe('1985-08-12');
    expect(parsePassportDate('1985-08-12T00:00:00Z')).toBe('1985-08-12');
    for (const bad of ['31.02.2030', '12/08/1985', '1985-13-01', '', 19850812, null]) {
      expect(parsePassportDate(bad)).toBeUndefined();
    }
  });

  it('normalises a valid reading', () => {
    const result = parsePassportClaims(valid);
    expect(result).toEqual({
      ok: true,
      claims: {
        subject: 'passport_reader:1',
        name: 'Anna Maria Eriksson',
        birthdate: '1985-08-12',
        gender: 'F',
        nationality: 'DNK',
        documentType: 'P',
        documentNumber: '201234567',
        issuingCountry: 'DNK',
        dateOfExpiry: '2033-03-11',
        facematchLevel: 8,
      },
    });
  });

  it('accepts a numeric facematch level too', () => {
    const result = parsePassportClaims({ ...valid, facematch_level: 7 });
    expect(result.ok && result.claims.facematchLevel).toBe(7);
  });

  it('refuses each missing or malformed claim with the reason of the check it defeats', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ document_type: undefined }, 'DOCUMENT_TYPE_NOT_ALLOWED'],
      [{ document_type: 'PASSPORT' }, 'DOCUMENT_TYPE_NOT_ALLOWED'],
      [{ issuing_country: 'DK' }, 'ISSUING_COUNTRY_NOT_ALLOWED'],
      [{ issuing_country: 42 }, 'ISSUING_COUNTRY_NOT_ALLOWED'],
      [{ date_of_expiry: '2033-02-30' }, 'DOCUMENT_EXPIRED'],
      [{ date_of_expiry: undefined }, 'DOCUMENT_EXPIRED'],
      [{ facematch_level: 'high' }, 'FACE_MATCH_TOO_LOW'],
      [{ facematch_level: undefined }, 'FACE_MATCH_TOO_LOW'],
      [{ name: '' }, 'IDENTITY_MISMATCH'],
      [{ birthdate: 'yesterday' }, 'IDENTITY_MISMATCH'],
      [{ document_number: '12' }, 'IDENTITY_MISMATCH'],
      [{ document_number: '20123*567' }, 'IDENTITY_MISMATCH'],
      [{ sub: undefined }, 'IDENTITY_MISMATCH'],
      [{ name: 'x'.repeat(201) }, 'IDENTITY_MISMATCH'],
    ];
    for (const [change, reason] of cases) {
      const result = parsePassportClaims({ ...valid, ...change });
      expect(result).toMatchObject({ ok: false, reason });
    }
  });
});
