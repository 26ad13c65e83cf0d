import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfig } from '../../src/config';

const ecPem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

const production = {
  NODE_ENV: 'production',
  MONGODB_URI: 'mongodb://db.example:27017/passport',
  LDAP_URL: 'ldaps://dc1.example:636',
  LDAP_BIND_DN: 'CN=svc,CN=Users,DC=example',
  LDAP_BIND_PASSWORD: 'secret',
  LDAP_BASE_DN: 'DC=example',
  BROKER_ISSUER: 'https://broker.example/',
  BROKER_CLIENT_ID: 'client',
  BROKER_CLIENT_SECRET: 'secret',
  DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
  SIGNING_KEY: ecPem,
};

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('runs on embedded defaults with an empty environment, generating demo keys', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.mongodbUri).toBeUndefined();
    expect(config.ldap).toBeUndefined();
    expect(config.broker).toBeUndefined();
    expect(config.generatedKeys).toEqual(['DATA_KEY', 'SIGNING_KEY']);
    expect(config.dataKey).toHaveLength(32);
    expect(config.assertionAudience).toBe('id-portal');
    expect(config.policy).toEqual({
      minFacematchLevel: 5,
      documentTypes: ['P'],
      issuingCountries: [],
    });
    expect(config.verificationTtlSeconds).toBe(300);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('accepts a complete production environment', () => {
    const config = loadConfig(production);
    expect(config.production).toBe(true);
    expect(config.ldap?.url).toBe('ldaps://dc1.example:636');
    expect(config.generatedKeys).toEqual([]);
  });

  it('names every missing variable in production, one line each', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    for (const name of ['MONGODB_URI', 'LDAP_URL', 'BROKER_ISSUER', 'DATA_KEY', 'SIGNING_KEY']) {
      expect(problems).toContainEqual(expect.stringContaining(name));
    }
  });

  it('requires the service account once LDAP_URL is set', () => {
    const problems = problemsOf({ LDAP_URL: 'ldaps://dc1.example' });
    expect(problems).toEqual([
      'LDAP_BIND_DN is required',
      'LDAP_BIND_PASSWORD is required',
      'LDAP_BASE_DN is required',
    ]);
  });

  it('refuses malformed values in any mode, naming the variable', () => {
    const cases: [Record<string, string>, string][] = [
      [{ PORT: 'eighty' }, 'PORT'],
      [{ PORT: '70000' }, 'PORT'],
      [{ MONGODB_URI: 'postgres://x' }, 'MONGODB_URI'],
      [{ LDAP_URL: 'http://dc1' }, 'LDAP_URL'],
      [{ DATA_KEY: 'c2hvcnQ=' }, 'DATA_KEY'],
      [{ SIGNING_KEY: 'not a key' }, 'SIGNING_KEY'],
      [{ INTERNAL_NETWORKS: '10.0.0.0/33' }, 'INTERNAL_NETWORKS'],
      [{ TRUST_PROXY: 'proxy.example' }, 'TRUST_PROXY'],
      [{ POLICY_MIN_FACEMATCH_LEVEL: '-1' }, 'POLICY_MIN_FACEMATCH_LEVEL'],
      [{ POLICY_DOCUMENT_TYPES: 'P,X' }, 'POLICY_DOCUMENT_TYPES'],
      [{ POLICY_ISSUING_COUNTRIES: 'DNK,DK' }, 'POLICY_ISSUING_COUNTRIES'],
      [{ VERIFICATION_TTL_SECONDS: '5' }, 'VERIFICATION_TTL_SECONDS'],
      [{ LDAP_CA_FILE: '/nonexistent/ca.pem', ...ldapVars() }, 'LDAP_CA_FILE'],
    ];
    for (const [env, name] of cases) {
      const problems = problemsOf(env);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^${name}`));
    }
  });

  it('refuses a signing key that is too weak', () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(problemsOf({ SIGNING_KEY: weak })).toEqual([
      'SIGNING_KEY: must be an EC P-256 key or an RSA key of at least 2048 bits',
    ]);
  });

  it('reads policy lists', () => {
    const config = loadConfig({
      POLICY_DOCUMENT_TYPES: 'P, I',
      POLICY_ISSUING_COUNTRIES: 'dnk,SWE',
      POLICY_MIN_FACEMATCH_LEVEL: '7',
    });
    expect(config.policy).toEqual({
      minFacematchLevel: 7,
      documentTypes: ['P', 'I'],
      issuingCountries: ['DNK', 'SWE'],
    });
  });
});

function ldapVars() {
  return {
    LDAP_URL: 'ldaps://dc1.example',
    LDAP_BIND_DN: 'CN=svc',
    LDAP_BIND_PASSWORD: 'x',
    LDAP_BASE_DN: 'DC=example',
  };
}
