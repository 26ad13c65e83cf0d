import { sameHolderName } from '../../src/services/holder-name';

describe('holder name comparison', () => {
  it('ignores order, case, punctuation and accents', () => {
    expect(sameHolderName('Anna Maria Eriksson', 'ERIKSSON, ANNA MARIA')).toBe(true);
    expect(sameHolderName('José Müller', 'MULLER JOSE')).toBe(true);
    expect(sameHolderName('Søren Ærø', 'SOREN AERO')).toBe(true);
  });

  it('tells different people apart', () => {
    expect(sameHolderName('Anna Maria Eriksson', 'Anna Eriksson')).toBe(false);
    expect(sameHolderName('Bo Jensen', 'Bo Jensen Jr')).toBe(false);
    expect(sameHolderName('', '')).toBe(false);
  });
});
