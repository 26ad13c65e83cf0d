import type { PassportClaims } from '../../src/services/passport-claims';
import { evaluatePolicy } from '../../src/services/verification-policy';

const claims: PassportClaims = {
  subject: 's',
  name: 'Anna Maria Eriksson',
  birthdate: '1985-08-12',
  nationality: 'DNK',
  documentType: 'P',
  documentNumber: '201234567',
  issuingCountry: 'DNK',
  dateOfExpiry: '2030-06-30',
  facematchLevel: 5,
};
const policy = { minFacematchLevel: 5, documentTypes: ['P'], issuingCountries: [] as string[] };
const today = new Date('2026-12-04T12:00:00Z');

describe('acceptance policy', () => {
  it('accepts a valid passport at exactly the minimum face match', () => {
    expect(evaluatePolicy(claims, policy, today)).toBeUndefined();
  });

  it('accepts a document on its expiry day and refuses it the day after', () => {
    const onExpiry = { ...claims, dateOfExpiry: '2026-12-04' };
    expect(evaluatePolicy(onExpiry, policy, today)).toBeUndefined();
    expect(evaluatePolicy(onExpiry, policy, new Date('2026-12-05T00:00:01Z'))).toBe(
      'DOCUMENT_EXPIRED',
    );
  });

  it('refuses a face match below the minimum', () => {
    expect(evaluatePolicy({ ...claims, facematchLevel: 4 }, policy, today)).toBe(
      'FACE_MATCH_TOO_LOW',
    );
  });

  it('refuses document types outside the policy', () => {
    expect(evaluatePolicy({ ...claims, documentType: 'I' }, policy, today)).toBe(
      'DOCUMENT_TYPE_NOT_ALLOWED',
    );
    expect(
      evaluatePolicy(
        { ...claims, documentType: 'I' },
        { ...policy, documentTypes: ['P', 'I'] },
        today,
      ),
    ).toBeUndefined();
  });

  it('allows any country by default and only listed ones when a list is set', () => {
    const uto = { ...claims, issuingCountry: 'UTO' };
    expect(evaluatePolicy(uto, policy, today)).toBeUndefined();
    expect(evaluatePolicy(uto, { ...policy, issuingCountries: ['DNK', 'SWE'] }, today)).toBe(
      'ISSUING_COUNTRY_NOT_ALLOWED',
    );
  });
});
