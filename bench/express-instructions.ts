import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleServer, countInstructions, valgrindAvailable } from './callgrind';
import { APP_KINDS, type AppKind, READS } from './express-apps';

/**
 * Express + flagsMiddleware against bare Express in instructions, not seconds: each app runs alone under
 * valgrind (callgrind), warmed up first so the JIT has settled, then counted over a fixed number of requests.
 * Instruction counts do not move with the machine's load, so the ratio is repeatable where a throughput
 * ratio on this shared machine is not. The load generator is another process and is not counted.
 */
// Natively, V8 stops optimising this server's functions after about 10,000 requests (`--trace-opt`): the
// count starts there, at the steady state a loaded server runs in.
const WARMUP_REQUESTS = 10_000;
// Long enough for several major GC cycles to fall in every window: one more or less in a short window moves
// the count by ~15% (seen in callgrind_annotate: concurrent marking and sweeping).
const COUNTED_REQUESTS = 6000;
const CONNECTIONS = 1;
const REPEATS = 2;

/** `requests` GETs over CONNECTIONS concurrent workers; Node's fetch keeps their connections alive. */
async function hammer(url: string, requests: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      next++;
      const response = await fetch(url);
      if ((await response.text()) !== 'ok') throw new Error(`unexpected answer from ${url}`);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
}

/** Instructions per request of one app, counted by callgrind over COUNTED_REQUESTS after the warm-up. */
async function instructionsPerRequest(kind: AppKind, server: string, dir: string): Promise<number> {
  const total = await countInstructions({
    label: kind,
    server,
    args: [kind, dir],
    dir,
    warmUp: (url) => hammer(url, WARMUP_REQUESTS),
    counted: (url) => hammer(url, COUNTED_REQUESTS),
  });
  return total / COUNTED_REQUESTS;
}

export async function expressInstructionsBench(): Promise<string> {
  const heading = '## Express: req.flags in instructions per request (callgrind)';
  if (!(await valgrindAvailable())) return `${heading}\n\nSkipped: valgrind is not installed on this machine.`;
  const dir = mkdtempSync(join(tmpdir(), 'flagwire-bench-callgrind-'));
  try {
    const server = await bundleServer('express-server', dir);
    const counts: Record<AppKind, number[]> = { bare: [], noop: [], flags: [] };
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      for (const kind of APP_KINDS) counts[kind].push(await instructionsPerRequest(kind, server, dir));
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const bare = mean(counts.bare);
    const row = (label: string, kind: AppKind) =>
      `| ${label} | ${counts[kind].map((x) => Math.round(x).toLocaleString('en-US')).join(' / ')} | ${(bare / mean(counts[kind])).toFixed(3)} |`;
    return [
      heading,
      '',
      `Each app alone in its own process under \`valgrind --tool=callgrind\`, ${WARMUP_REQUESTS} warm-up requests uncounted (the JIT's steady state), then ${COUNTED_REQUESTS} counted`,
      `(one keep-alive connection, one request at a time, so every request takes the same path through the event loop; from a separate, uncounted process). The whole server process is counted: HTTP parsing, Express,`,
      `the middleware, GC and JIT. Instruction counts do not move with the machine's load; ${REPEATS} repeats show how repeatable they are.`,
      '',
      '| app | instructions per request (each repeat) | bare ÷ this (≈ throughput ratio; target ≥ 0.95) |',
      '|---|---|---|',
      row("bare Express (`res.send('ok')`)", 'bare'),
      row('bare Express + one no-op middleware', 'noop'),
      row(`Express + flagsMiddleware + ${READS} isEnabled reads`, 'flags'),
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
