import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { SignInDocument } from '../../generated/graphql';
import { DEMO_USERS } from '../../src/dev/demo-directory';
import { httpGraphQL } from '../support/graphql-client';

const ROOT = join(__dirname, '..', '..');

describe('npm start on embedded defaults', () => {
  beforeAll(() => {
    const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(build.stderr + build.stdout).toBe('');
  }, 120_000);

  it('serves /graphql, /healthz and /readyz with no configuration, then stops cleanly on SIGTERM', async () => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0' };
    const child = spawn('node', ['dist/main.js'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 90_000);
        child.stdout.on('data', () => {
          const match = /GraphQL: (http:\/\/\S+)\/graphql/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        void exited.then((code) => reject(new Error(`exited ${code}:\n${output}`)));
      });
      expect(output).toContain('DATA_KEY is not set');
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${url}/`)).text()).toContain('Register a passport');
      expect(await (await fetch(`${url}/app`)).text()).toContain('ID Verifier (simulator)');
      const ready = await fetch(`${url}/readyz`);
      expect(await ready.json()).toEqual({
        ready: true,
        checks: { mongodb: 'ok', directory: 'ok', broker: 'ok' },
      });
      const anna = DEMO_USERS.find((u) => u.username === 'anna')!;
      const answer = await httpGraphQL(url, SignInDocument, {
        username: anna.username,
        password: anna.password,
      });
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.signIn.account.displayName).toBe(anna.fullName);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output).toContain('"msg":"stopped"');
  }, 120_000);
});
