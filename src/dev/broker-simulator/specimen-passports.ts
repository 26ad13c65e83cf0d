/**
 * Fictional passports for the broker simulator, in the claim format the Nets passport reader
 * uses (dates as dd.MM.yyyy strings, facematch_level as a string). "UTO" is ICAO's specimen
 * state Utopia; every person here is invented.
 */
export interface SpecimenPassport {
  id: string;
  /** What the simulator page shows to pick it. */
  label: string;
  claims: PassportReaderClaims;
}

/** The ID-token claims of one passport reading, as the broker sends them. */
export interface PassportReaderClaims {
  name: string;
  birthdate: string;
  gender: string;
  nationality: string;
  document_type: string;
  document_number: string;
  issuing_country: string;
  date_of_expiry: string;
  facematch_level: string;
}

export const SPECIMEN_PASSPORTS: readonly SpecimenPassport[] = [
  {
    id: 'anna-dnk',
    label: 'Anna Maria Eriksson, Danish passport (valid)',
    claims: {
      name: 'Anna Maria Eriksson',
      birthdate: '12.08.1985',
      gender: 'F',
      nationality: 'DNK',
      document_type: 'P',
      document_number: '201234567',
      issuing_country: 'DNK',
      date_of_expiry: '11.03.2033',
      facematch_level: '8',
    },
  },
  {
    id: 'bo-dnk',
    label: 'Bo Jensen, Danish passport (valid)',
    claims: {
      name: 'Bo Jensen',
      birthdate: '02.01.1979',
      gender: 'M',
      nationality: 'DNK',
      document_type: 'P',
      document_number: '209876543',
      issuing_country: 'DNK',
      date_of_expiry: '30.06.2031',
      facematch_level: '7',
    },
  },
  {
    id: 'erika-uto',
    label: 'Erika Mustermann, Utopian passport (valid, foreign)',
    claims: {
      name: 'Erika Mustermann',
      birthdate: '12.08.1964',
      gender: 'F',
      nationality: 'UTO',
      document_type: 'P',
      document_number: 'L898902C3',
      issuing_country: 'UTO',
      date_of_expiry: '15.04.2034',
      facematch_level: '9',
    },
  },
  {
    id: 'karl-expired',
    label: 'Karl Hansen, Danish passport (expired)',
    claims: {
      name: 'Karl Hansen',
      birthdate: '23.11.1970',
      gender: 'M',
      nationality: 'DNK',
      document_type: 'P',
      document_number: '204455667',
      issuing_country: 'DNK',
      date_of_expiry: '01.02.2020',
      facematch_level: '8',
    },
  },
  {
    id: 'lise-low-facematch',
    label: 'Lise Nielsen, Danish passport (face match 2 of 10)',
    claims: {
      name: 'Lise Nielsen',
      birthdate: '05.05.1990',
      gender: 'F',
      nationality: 'DNK',
      document_type: 'P',
      document_number: '207788990',
      issuing_country: 'DNK',
      date_of_expiry: '19.09.2032',
      facematch_level: '2',
    },
  },
  {
    id: 'mads-id-card',
    label: 'Mads Holm, identity card (not a passport)',
    claims: {
      name: 'Mads Holm',
      birthdate: '14.02.1988',
      gender: 'M',
      nationality: 'DNK',
      document_type: 'I',
      document_number: 'ID7001234',
      issuing_country: 'DNK',
      date_of_expiry: '01.01.2035',
      facematch_level: '8',
    },
  },
];
