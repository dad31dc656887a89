import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The Next.js example, built and served as in production (`next build`, then `next start`). */
export const NEXT_EXAMPLE_DIR = fileURLToPath(new URL('../../examples/next/', import.meta.url));
const NEXT_BIN = fileURLToPath(new URL('../../node_modules/next/dist/bin/next', import.meta.url));

/**
 * A clean `next build` of the example (it uses the built package, so `npm run build` must have run). Clean,
 * because Next keeps its data cache in `.next/cache` across builds, and a previous run's flags would be in it.
 * @returns what the build printed.
 */
export async function buildNextExample(): Promise<string> {
  rmSync(join(NEXT_EXAMPLE_DIR, '.next'), { recursive: true, force: true });
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [NEXT_BIN, 'build'], {
    cwd: NEXT_EXAMPLE_DIR,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout + stderr;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningNextExample {
  url: string;
  /** What the server printed, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

/** `next start` of the example on a free port with the given environment; resolves once it answers HTTP. */
export function startNextExample(env: Record<string, string>): Promise<RunningNextExample> {
  return startNextApp(NEXT_EXAMPLE_DIR, env, '/api/flags');
}

/** `next start` of a built app on a free port; resolves once `readyPath` answers HTTP. */
export async function startNextApp(dir: string, env: Record<string, string>, readyPath: string): Promise<RunningNextExample> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: dir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${printed}`);
    try {
      await fetch(`${url}${readyPath}`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`next start did not answer within 30 s:\n${printed}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    output: () => printed,
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
