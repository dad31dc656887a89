import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The peers bench measures flagwire as apps run it: the built package. Its TypeScript children run under tsx
 * with bench/peers/tsconfig.built.json, where 'flagwire/server' resolves to dist/ rather than to the sources
 * (which tsx would compile with keepNames, adding a __name() call to every closure flagwire makes per check:
 * 2.3–3.0 µs for `await snapshot()` from the sources against 1.35–1.7 µs from dist/, 1M calls, two pairs of runs).
 */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILT_TSCONFIG = fileURLToPath(new URL('./tsconfig.built.json', import.meta.url));

function newestMtime(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).reduce((newest, entry) => (entry.isFile() ? Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs) : newest), 0);
}

/** Builds dist/ unless it is newer than every source file: the bench must time the code under test. */
export function ensureBuilt(): void {
  const built = join(ROOT, 'dist', 'server.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newestMtime(join(ROOT, 'src'))) return;
  console.log('bench/peers: building dist/ (npm run build)…');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
}

/** Runs a TypeScript file of bench/peers under tsx on the built package; resolves to what it printed. */
export function runBuiltChild(script: string, args: readonly string[], nodeOptions: readonly string[] = []): Promise<string> {
  const file = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', file, ...args], {
    cwd: ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: BUILT_TSCONFIG },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} ${args.join(' ')}: exit ${code}: ${err.slice(-2000)}`)))));
}

/** In a child: throws unless 'flagwire/server' is the built package here, so the sources are never timed by mistake. */
export function assertOnBuiltPackage(): void {
  const resolved = import.meta.resolve('flagwire/server');
  if (!resolved.endsWith('/dist/server.js')) throw new Error(`'flagwire/server' resolves to ${resolved}, not the built package: run under tsx with bench/peers/tsconfig.built.json`);
}
