import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';

/**
 * What the tests need beyond `npm ci`, found the same way by the set-up that `npm test` runs first
 * (scripts/test-setup.ts), the browser tests and the Redis tests: Chromium, the redis-server binary, and a
 * Redis answering at `REDIS_URL`.
 */

/** Where Debian and Ubuntu put Chromium; `CHROMIUM_PATH` names another. */
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, command))
    .find(isExecutable);
}

/** A tool the tests need: where it is, or why it was not found. */
export type Found = { path: string } | { missing: string };

/** Chromium: `CHROMIUM_PATH` when set (it must be there), else where Debian puts it. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): Found {
  const chosen = env.CHROMIUM_PATH;
  if (chosen) return isExecutable(chosen) ? { path: chosen } : { missing: `CHROMIUM_PATH=${chosen} is not an executable` };
  const path = CHROMIUM_CANDIDATES.find(isExecutable);
  return path ? { path } : { missing: `no Chromium at ${CHROMIUM_CANDIDATES.join(' or ')}` };
}

/** redis-server: `REDIS_SERVER` when set (it must be there), else on the PATH. */
export function findRedisServer(env: NodeJS.ProcessEnv = process.env): Found {
  const chosen = env.REDIS_SERVER;
  if (chosen) return isExecutable(chosen) ? { path: chosen } : { missing: `REDIS_SERVER=${chosen} is not an executable` };
  const path = onPath('redis-server');
  return path ? { path } : { missing: 'no redis-server on the PATH' };
}

/** The binary `findChromium` found, for playwright's `executablePath`. */
export function chromiumPath(): string {
  const found = findChromium();
  if ('path' in found) return found.path;
  throw new Error(`${found.missing}: install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH`);
}

/** The binary `findRedisServer` found. */
export function redisServerPath(): string {
  const found = findRedisServer();
  if ('path' in found) return found.path;
  throw new Error(`${found.missing}: install Redis (Debian: apt-get install redis-server) or set REDIS_SERVER`);
}

/** Whether a Redis answers PING at `url` within `timeoutMs`. */
export function redisAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    let reply = '';
    const done = (answers: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answers);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.on('error', () => done(false));
  });
}

/** Whether `url` names this machine, where a redis-server can be started for it. */
export function isLocalRedis(url: string): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
}

/**
 * A redis-server of the tests' own on `url`'s port: no persistence, bound to the loopback, resolved once it
 * answers. `stop()` ends it.
 */
export async function startRedis(url: string, binary = redisServerPath()): Promise<{ stop(): Promise<void> }> {
  const port = new URL(url).port || '6379';
  const child: ChildProcess = spawn(binary, ['--port', port, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!(await redisAnswers(url, 200))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start on port ${port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Whether `apt-get install` can run here: root, on a system with apt. */
export function canAptInstall(): boolean {
  return process.getuid?.() === 0 && onPath('apt-get') !== undefined;
}

/** Installs Debian packages quietly; throws with apt's last line when it fails. */
export function aptInstall(packages: readonly string[]): void {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { env, stdio: 'pipe' });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env, stdio: 'pipe' });
  } catch (error) {
    const said = String((error as { stderr?: Buffer }).stderr ?? '').trim().split('\n').at(-1) ?? '';
    throw new Error(`apt-get install ${packages.join(' ')} failed${said ? `: ${said}` : ''}`);
  }
}
