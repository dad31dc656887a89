import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';

/**
 * The callgrind harness the instruction-count benches share: bundle a bench server, run it alone under valgrind with
 * counting off, let the bench warm it up, then count exactly the requests the bench sends inside the counted window.
 */
const run = promisify(execFile);

export async function valgrindAvailable(): Promise<boolean> {
  try {
    await run('valgrind', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** Bundles `bench/<name>.ts` into `<dir>/<name>.cjs`, so the counted process runs plain JavaScript (no tsx loader). */
export async function bundleServer(name: string, dir: string): Promise<string> {
  const outfile = join(dir, `${name}.cjs`);
  await build({
    entryPoints: [fileURLToPath(new URL(`./${name}.ts`, import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // jsonc-parser's UMD build requires its files at run time; its ES module build bundles.
    mainFields: ['module', 'main'],
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0) resolve(out.slice(0, newline).trim());
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before printing its port`)));
    child.once('error', reject);
  });
}

export interface CallgrindRun {
  /** Names the app in the output file and in errors. */
  label: string;
  /** The bundled server; it must print its port on its first stdout line. */
  server: string;
  args: readonly string[];
  /** Where callgrind writes its output. */
  dir: string;
  /** Runs uncounted, before the count starts. */
  warmUp(url: string): Promise<void>;
  /** Everything this does, and only that, is counted. */
  counted(url: string): Promise<void>;
}

/** The instructions the server process ran during `counted`, all of them (HTTP, the app, GC, JIT). */
export async function countInstructions({ label, server, args, dir, warmUp, counted }: CallgrindRun): Promise<number> {
  const out = join(dir, `callgrind.${label}.${Date.now()}`);
  const child = spawn('valgrind', ['-q', '--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${out}`, process.execPath, server, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = `http://127.0.0.1:${await firstLine(child)}/`;
    await warmUp(url);
    await run('callgrind_control', ['-i', 'on', String(child.pid)]);
    await counted(url);
    // Dumped now (to `<out>.1`), so the count covers exactly the counted requests whatever happens at exit.
    await run('callgrind_control', ['-d', String(child.pid)]);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  const total = Number(/^summary: (\d+)$/m.exec(readFileSync(`${out}.1`, 'utf8'))?.[1] ?? 0);
  if (total === 0) throw new Error(`callgrind counted nothing for ${label}`);
  return total;
}
