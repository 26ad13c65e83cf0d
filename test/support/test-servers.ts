import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SambaAd } from '../servers/samba-ad';

/** Where global-setup writes the addresses of the servers it started for this run. */
export const TEST_SERVERS_FILE = join(__dirname, '..', '..', '.cache', 'test-servers.json');

/** The servers every integration test file shares. */
export interface TestServers {
  mongoUri: string;
  mongoKind: string;
  samba: SambaAd;
  /** A redis-server for the tests that run several instances. */
  redisUrl: string;
}

/** Reads the servers global-setup started. */
export function testServers(): TestServers {
  return JSON.parse(readFileSync(TEST_SERVERS_FILE, 'utf8')) as TestServers;
}
