import { spawnSync } from 'node:child_process';

/**
 * Installs a Debian package when `installed()` says it is missing and we are root (CI runs
 * as root on a fresh machine); otherwise fails with the command a developer should run.
 */
export function ensureDebianPackage(name: string, installed: () => boolean, neededFor: string) {
  if (installed()) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`${neededFor} needs ${name}: run \`apt-get install ${name}\` as root.`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', name]]) {
    const result = spawnSync('apt-get', args, { env, encoding: 'utf8', stdio: 'pipe' });
    if (result.status !== 0) throw new Error(`apt-get ${args[0]} failed: ${result.stderr}`);
  }
}
