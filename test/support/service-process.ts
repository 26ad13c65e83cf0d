import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The built service (`node dist/main.js`, built by global setup) running as a child process. */
export interface ServiceProcess {
  url: string;
  wsUrl: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Sends a signal (SIGTERM to stop it as an orchestrator would). */
  kill(signal: NodeJS.Signals): void;
}

/**
 * Starts `node dist/main.js` with exactly this environment (plus PATH and HOME) on a free
 * port, and resolves once it says where it listens.
 */
export async function startServiceProcess(env: NodeJS.ProcessEnv): Promise<ServiceProcess> {
  const child = spawn('node', ['dist/main.js'], {
    cwd: join(__dirname, '..', '..'),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 90_000);
    child.stdout.on('data', () => {
      // The log line in JSON, or the demo banner on embedded defaults.
      const match = /"url":"(http:\/\/[^"]+)\/graphql"|GraphQL: (http:\/\/\S+)\/graphql/.exec(
        output,
      );
      if (match) {
        clearTimeout(timer);
        resolve(match[1] ?? match[2]);
      }
    });
    void exited.then((code) => reject(new Error(`exited ${code}:\n${output}`)));
  });
  return {
    url,
    wsUrl: `${url.replace(/^http/, 'ws')}/graphql`,
    output: () => output,
    exited,
    kill: (signal) => child.kill(signal),
  };
}
