import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  randomBytes,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseCidrList, type Cidr } from './services/network-policy';

/** The directory and the service account that reads it. */
export interface LdapConfig {
  /** `ldaps://` (TLS from the start) or `ldap://` (always upgraded with StartTLS). */
  url: string;
  bindDn: string;
  bindPassword: string;
  baseDn: string;
  /** PEM of the CA that signed the directory's certificate; undefined means the system CAs. */
  ca?: string;
}

/** The OpenID provider playing the Nets passport reader. */
export interface BrokerConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export interface PolicyConfig {
  minFacematchLevel: number;
  documentTypes: readonly string[];
  /** ICAO three-letter codes; empty means any country. */
  issuingCountries: readonly string[];
}

/**
 * Everything the service reads from its environment, parsed and validated once.
 * `mongodbUri`, `ldap` and `broker` are undefined when the embedded development parts
 * should stand in for them (demo mode).
 */
export interface Config {
  production: boolean;
  port: number;
  mongodbUri?: string;
  ldap?: LdapConfig;
  ldapAdminGroupDn?: string;
  broker?: BrokerConfig;
  internalNetworks: readonly Cidr[];
  trustProxy: readonly Cidr[];
  dataKey: Buffer;
  signingKey: KeyObject;
  /** A key being rotated out: still published in the JWKS, no longer used to sign. */
  previousSigningKey?: KeyObject;
  /** Names the keys that were generated because demo mode allowed it. */
  generatedKeys: readonly ('DATA_KEY' | 'SIGNING_KEY')[];
  assertionAudience: string;
  /** `iss` of login assertions and access tokens. */
  assertionIssuer: string;
  /** startPassportLogin calls one client IP may make per window (across instances with Redis). */
  loginRateLimit: { max: number; windowSeconds: number };
  /** Status events and the login rate limit shared between instances; unset: in-process. */
  redisUrl?: string;
  policy: PolicyConfig;
  verificationTtlSeconds: number;
  /** The deep link a QR code carries; {code} stands for the activation code. */
  activationLinkTemplate: string;
  accessTokenTtlSeconds: number;
  logLevel: string;
  /** Serve the demo's web pages and GraphiQL (WEB_PAGES; on unless NODE_ENV=production). */
  webPages: boolean;
}

/** A configuration with the embedded parts filled in: what the app is built from. */
export type RuntimeConfig = Config & { mongodbUri: string; ldap: LdapConfig; broker: BrokerConfig };

/** Thrown by loadConfig with one line per problem, each naming its variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const DEFAULT_INTERNAL_NETWORKS =
  '127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7';

/**
 * Where the QR code sends the phone. The real app's link format is not public; this is a
 * placeholder to replace with ACTIVATION_LINK_TEMPLATE once the broker names it.
 */
const DEFAULT_ACTIVATION_LINK = 'idverifier://activate?code={code}';

/** True when the service runs with embedded stand-ins for the database, directory or broker. */
export function isDemo(env: NodeJS.ProcessEnv): boolean {
  return !env.MONGODB_URI || !env.LDAP_URL || !env.BROKER_ISSUER;
}

/**
 * Parses the environment into a frozen Config. Outside demo mode, and always in production,
 * required values must be present; malformed values are refused in every mode.
 */
export function loadConfig(env: NodeJS.ProcessEnv): Readonly<Config> {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  const demo = isDemo(env) && !production;
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw ? raw : undefined;
  };
  const required = (name: string): string | undefined => {
    const v = value(name);
    if (v === undefined) problems.push(`${name} is required${production ? ' in production' : ''}`);
    return v;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const v = value(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${v}"`);
      return fallback;
    }
    return n;
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const v = value(name)?.toLowerCase();
    if (v === undefined) return fallback;
    if (['true', '1', 'yes'].includes(v)) return true;
    if (['false', '0', 'no'].includes(v)) return false;
    problems.push(`${name} must be true or false, got "${v}"`);
    return fallback;
  };
  const cidrs = (name: string, fallback: string): Cidr[] => {
    try {
      return parseCidrList(value(name) ?? fallback);
    } catch (e) {
      problems.push(`${name}: ${(e as Error).message}`);
      return [];
    }
  };
  const url = (name: string, protocols: string[], neededInProduction = true) => {
    const v = production && neededInProduction ? required(name) : value(name);
    if (v === undefined) return undefined;
    try {
      const u = new URL(v);
      if (!protocols.includes(u.protocol)) throw new Error();
      return v;
    } catch {
      problems.push(`${name} must be a ${protocols.map((p) => `${p}//`).join(' or ')} URL`);
      return undefined;
    }
  };

  const mongodbUri = url('MONGODB_URI', ['mongodb:', 'mongodb+srv:']);

  let ldap: LdapConfig | undefined;
  const ldapUrl = url('LDAP_URL', ['ldap:', 'ldaps:']);
  if (ldapUrl !== undefined) {
    const bindDn = required('LDAP_BIND_DN');
    const bindPassword = required('LDAP_BIND_PASSWORD');
    const baseDn = required('LDAP_BASE_DN');
    let ca: string | undefined;
    const caFile = value('LDAP_CA_FILE');
    if (caFile !== undefined) {
      try {
        ca = readFileSync(caFile, 'utf8');
        if (!ca.includes('BEGIN CERTIFICATE')) throw new Error('no PEM certificate in it');
      } catch (e) {
        problems.push(`LDAP_CA_FILE: cannot use ${caFile}: ${(e as Error).message}`);
      }
    }
    if (bindDn && bindPassword && baseDn) ldap = { url: ldapUrl, bindDn, bindPassword, baseDn, ca };
  }

  let broker: BrokerConfig | undefined;
  const issuer = url('BROKER_ISSUER', ['https:', 'http:']);
  if (issuer !== undefined) {
    const clientId = required('BROKER_CLIENT_ID');
    const clientSecret = required('BROKER_CLIENT_SECRET');
    if (clientId && clientSecret) broker = { issuer, clientId, clientSecret };
  }

  const generatedKeys: ('DATA_KEY' | 'SIGNING_KEY')[] = [];
  let dataKey = Buffer.alloc(0);
  const dataKeyText = demo ? value('DATA_KEY') : required('DATA_KEY');
  if (dataKeyText !== undefined) {
    dataKey = Buffer.from(dataKeyText, 'base64');
    if (dataKey.length !== 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(dataKeyText)) {
      problems.push('DATA_KEY must be 32 bytes in base64 (openssl rand -base64 32)');
    }
  } else if (demo) {
    dataKey = randomBytes(32);
    generatedKeys.push('DATA_KEY');
  }

  let signingKey: KeyObject | undefined;
  const signingKeyText = demo ? value('SIGNING_KEY') : required('SIGNING_KEY');
  if (signingKeyText !== undefined) {
    try {
      signingKey = parseSigningKey(signingKeyText.replace(/\\n/g, '\n'));
    } catch (e) {
      problems.push(`SIGNING_KEY: ${(e as Error).message}`);
    }
  } else if (demo) {
    signingKey = generateSigningKey();
    generatedKeys.push('SIGNING_KEY');
  }

  const previousKey = (): KeyObject | undefined => {
    const pem = value('PREVIOUS_SIGNING_KEY')?.replace(/\\n/g, '\n');
    if (pem === undefined) return undefined;
    try {
      return pem.includes('PRIVATE KEY')
        ? createPublicKey(parseSigningKey(pem))
        : createPublicKey(pem);
    } catch {
      problems.push(
        'PREVIOUS_SIGNING_KEY must be a PEM key (public or private) of the same kinds as SIGNING_KEY',
      );
      return undefined;
    }
  };

  const linkTemplate = (): string => {
    const template = value('ACTIVATION_LINK_TEMPLATE') ?? DEFAULT_ACTIVATION_LINK;
    if (!template.includes('{code}')) problems.push('ACTIVATION_LINK_TEMPLATE must contain {code}');
    return template;
  };

  const documentTypes = (value('POLICY_DOCUMENT_TYPES') ?? 'P').split(',').map((s) => s.trim());
  if (documentTypes.some((t) => !['P', 'I', 'C', 'V'].includes(t))) {
    problems.push('POLICY_DOCUMENT_TYPES must be a comma-separated list of P, I, C, V');
  }
  const countriesText = value('POLICY_ISSUING_COUNTRIES');
  const issuingCountries =
    countriesText === undefined || countriesText.toLowerCase() === 'any'
      ? []
      : countriesText.split(',').map((s) => s.trim().toUpperCase());
  if (issuingCountries.some((c) => !/^[A-Z<]{3}$/.test(c))) {
    problems.push('POLICY_ISSUING_COUNTRIES must be ICAO three-letter codes, comma-separated');
  }

  const config: Config = {
    production,
    port: integer('PORT', 4000, 0, 65535),
    mongodbUri,
    ldap,
    ldapAdminGroupDn: value('LDAP_ADMIN_GROUP_DN'),
    broker,
    internalNetworks: cidrs('INTERNAL_NETWORKS', DEFAULT_INTERNAL_NETWORKS),
    trustProxy: cidrs('TRUST_PROXY', ''),
    dataKey,
    signingKey: signingKey as KeyObject,
    generatedKeys,
    assertionAudience: value('ASSERTION_AUDIENCE') ?? 'id-portal',
    assertionIssuer: value('ASSERTION_ISSUER') ?? 'urn:passport-assurance',
    previousSigningKey: previousKey(),
    loginRateLimit: {
      max: integer('LOGIN_RATE_LIMIT_MAX', 10, 1, 100_000),
      windowSeconds: integer('LOGIN_RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86_400),
    },
    redisUrl: url('REDIS_URL', ['redis:', 'rediss:'], false),
    policy: {
      minFacematchLevel: integer('POLICY_MIN_FACEMATCH_LEVEL', 5, 0, 10),
      documentTypes,
      issuingCountries,
    },
    verificationTtlSeconds: integer('VERIFICATION_TTL_SECONDS', 300, 10, 3600),
    activationLinkTemplate: linkTemplate(),
    accessTokenTtlSeconds: integer('ACCESS_TOKEN_TTL_SECONDS', 900, 60, 86400),
    logLevel: value('LOG_LEVEL') ?? 'info',
    webPages: flag('WEB_PAGES', !production),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/** Accepts an EC P-256 or RSA (2048 bits or more) private key in PEM. */
export function parseSigningKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new Error('not a PEM private key');
  }
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') return key;
  if (key.asymmetricKeyType === 'rsa' && (details?.modulusLength ?? 0) >= 2048) return key;
  throw new Error('must be an EC P-256 key or an RSA key of at least 2048 bits');
}

function generateSigningKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}
