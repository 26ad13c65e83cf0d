import { ensureDebianPackage } from '../servers/debian-package';
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium, installed when missing and running as root; otherwise a clear error. */
export function ensureChromium(): string {
  ensureDebianPackage('chromium', () => existsSync(CHROMIUM), 'The browser tests');
  return CHROMIUM;
}

/** Flags for a headless Chromium on a machine without a network beyond loopback. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
