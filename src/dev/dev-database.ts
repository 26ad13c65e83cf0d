import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { lookup } from 'node:dns/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Logger } from '../logger';
import { freePort, waitForPort } from './free-port';

/** A development MongoDB-compatible server and how to reach it. */
export interface DevDatabase {
  uri: string;
  kind: 'mongodb-memory-server' | 'ferretdb';
  stop(): Promise<void>;
}

const FERRETDB_VERSION = 'v1.24.2';
/** The folder with package.json above this file (src/dev, dist/dev or a benchmark build). */
function projectRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
const PROJECT_ROOT = projectRoot(__dirname);
const CACHE_DIR = join(PROJECT_ROOT, '.cache');
/** FerretDB is built once per checkout into this git-ignored folder. */
export const FERRETDB_BIN = join(CACHE_DIR, 'bin', `ferretdb-${FERRETDB_VERSION}`);

/**
 * Starts the development database: mongodb-memory-server when it can obtain a mongod, else
 * FerretDB (built with `go install` on first use), else one error saying what to install.
 */
export async function startDevDatabase(log: Logger): Promise<DevDatabase> {
  if (process.env.DEV_DATABASE !== 'ferretdb') {
    try {
      const db = await startMemoryServer();
      log.info({ kind: db.kind }, 'development database started');
      return db;
    } catch (error) {
      log.info(
        { reason: (error as Error).message.split('\n')[0] },
        'mongodb-memory-server cannot obtain a mongod here; using FerretDB',
      );
    }
  }
  const db = await startFerretDb(log);
  log.info({ kind: db.kind, uri: db.uri }, 'development database started');
  return db;
}

async function startMemoryServer(): Promise<DevDatabase> {
  const { MongoMemoryServer, DryMongoBinary } = await import('mongodb-memory-server-core');
  // Only try when a mongod is on this machine or its download host resolves: a failed
  // download costs seconds and prints a stack trace.
  const local = await DryMongoBinary.locateBinary(await DryMongoBinary.generateOptions()).catch(
    () => undefined,
  );
  if (
    !local &&
    !(await resolves(process.env.MONGOMS_DOWNLOAD_MIRROR ?? 'https://fastdl.mongodb.org'))
  ) {
    throw new Error('no local mongod and the download host is unreachable');
  }
  const server = await MongoMemoryServer.create();
  return {
    uri: server.getUri(),
    kind: 'mongodb-memory-server',
    stop: async () => {
      await server.stop();
    },
  };
}

/** True when the URL's host name resolves within two seconds. */
async function resolves(url: string): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      lookup(new URL(url).hostname),
      new Promise((_, reject) => (timer = setTimeout(reject, 2000))),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Builds FerretDB into .cache/bin unless it is there already. A plain `go install` binary
 * panics at start because the module lacks build/version/version.txt, so the module's source
 * is copied from the Go module cache, given that file, and built.
 */
export function ensureFerretDb(log: Logger): string {
  if (existsSync(FERRETDB_BIN)) return FERRETDB_BIN;
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) {
    throw new Error(
      'No MongoDB-compatible server: mongodb-memory-server cannot download mongod here and ' +
        '`go` is not installed to build FerretDB. Install Go (https://go.dev/dl) or set MONGODB_URI.',
    );
  }
  log.info(
    `building FerretDB ${FERRETDB_VERSION} from the Go module proxy (once; a minute or two)`,
  );
  const run = (args: string[], cwd?: string) => {
    const result = spawnSync('go', args, {
      cwd,
      env: { ...process.env, CGO_ENABLED: '0' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) throw new Error(`go ${args.join(' ')} failed:\n${result.stderr}`);
    return result.stdout;
  };
  const module = JSON.parse(
    run(['mod', 'download', '-json', `github.com/FerretDB/FerretDB@${FERRETDB_VERSION}`]),
  ) as { Dir: string };
  const source = join(CACHE_DIR, `ferretdb-${FERRETDB_VERSION}-src`);
  rmSync(source, { recursive: true, force: true });
  cpSync(module.Dir, source, { recursive: true });
  chmodTree(source);
  writeFileSync(join(source, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
  mkdirSync(dirname(FERRETDB_BIN), { recursive: true });
  run(['build', '-trimpath', '-o', FERRETDB_BIN, './cmd/ferretdb'], source);
  rmSync(source, { recursive: true, force: true });
  return FERRETDB_BIN;
}

/** The Go module cache is read-only; the copy must be writable to add a file and delete it. */
function chmodTree(path: string): void {
  chmodSync(path, 0o755);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chmodTree(child);
    else chmodSync(child, 0o644);
  }
}

/** Starts FerretDB on SQLite in a temporary folder on a free loopback port. */
export async function startFerretDb(log: Logger): Promise<DevDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'ferretdb-'));
  const port = await freePort();
  const server = await runFerretDb(log, dir, port);
  return {
    uri: `mongodb://127.0.0.1:${port}/passport`,
    kind: 'ferretdb',
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs FerretDB on the data in `dir` at `port` until stop(); running it again on the same
 * folder and port is a restart with the data kept (the fault tests do that).
 */
export async function runFerretDb(
  log: Logger,
  dir: string,
  port: number,
): Promise<{ stop(): Promise<void> }> {
  const bin = ensureFerretDb(log);
  const child: ChildProcess = spawn(
    bin,
    [
      '--handler=sqlite',
      // A throw-away database: no fsync per commit (SQLite stays consistent, not durable).
      `--sqlite-url=file:${dir}/?_pragma=synchronous(normal)`,
      `--listen-addr=127.0.0.1:${port}`,
      `--state-dir=${dir}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`FerretDB exited (${code}): ${stderr}`))),
  );
  await Promise.race([waitForPort(port, 30_000), exited]);
  exited.catch(() => undefined);
  return {
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    },
  };
}
