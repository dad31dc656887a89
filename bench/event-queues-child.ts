import { createServer } from 'node:net';
import { createFlagsClient, type FlagsClient } from '../src/server/index';
import { featBitFlag, featBitRuleFlag } from '../test/support/featbit-builders';

/**
 * One scenario of bench/event-queues.ts, alone in its own process (started with --expose-gc) so the heap it
 * reports holds nothing but this client: the calls are made while the events endpoint refuses every
 * connection, the event loop is let go every 1,000 calls (as between requests), and the heap is measured after
 * two full collections. Prints one JSON line.
 *
 * Scenarios: `featbit-small` (1M variation() calls, a small user), `featbit-wide` (50,000 calls, the user
 * carries a 16 KB attribute no flag reads), `featbit-wide-read` (the same, one flag's rule reads it),
 * `api-track` (1M track() calls in Schematic API mode).
 */
export type HeapScenario = 'featbit-small' | 'featbit-wide' | 'featbit-wide-read' | 'api-track';

export interface HeapFigure {
  scenario: HeapScenario;
  calls: number;
  /** Heap used after two full GCs, less the same measure taken before the first call. */
  retainedMb: number;
  ms: number;
}

const FLAGS = 20;
const WIDE_ATTRIBUTE = 'x'.repeat(16 * 1024);

/** A port nothing listens on: every connection to it is refused at once. */
async function refusingPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function featBitFlags(readWide: boolean): object[] {
  return Array.from({ length: FLAGS }, (_, i) =>
    i === 0 && readWide
      ? featBitRuleFlag([{ property: 'blob', op: 'Contains', value: 'zzz' }], { id: `f${i}`, key: `flag-${i}` })
      : i % 2 === 0
        ? featBitRuleFlag([{ property: 'plan', op: 'Equal', value: 'pro' }], { id: `f${i}`, key: `flag-${i}` })
        : featBitFlag({ id: `f${i}`, key: `flag-${i}` }),
  );
}

function featBitClient(port: number, readWide: boolean): FlagsClient {
  const bootstrap = { messageType: 'data-sync', data: { eventType: 'full', featureFlags: featBitFlags(readWide), segments: [] } };
  const dead = `http://127.0.0.1:${port}`;
  return createFlagsClient({ featbit: { envSecret: 'bench-secret', streamingUri: dead, eventsUri: dead, pollingUri: false, bootstrap }, logLevel: 'silent' });
}

function retainedBytes(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function run(scenario: HeapScenario): Promise<HeapFigure> {
  const port = await refusingPort();
  const api = scenario === 'api-track';
  const client = api
    ? createFlagsClient({ apiKey: 'sch_bench', basePath: `http://127.0.0.1:${port}`, eventCaptureBaseURL: `http://127.0.0.1:${port}`, logLevel: 'silent' })
    : featBitClient(port, scenario === 'featbit-wide-read');
  await client.ready();
  const calls = scenario === 'featbit-wide' || scenario === 'featbit-wide-read' ? 50_000 : 1_000_000;
  const wide = scenario !== 'featbit-small' && !api;
  await yieldToLoop();
  const before = retainedBytes();
  const started = performance.now();
  for (let i = 0; i < calls; i++) {
    const user = { key: `user-${i % 5000}`, plan: i % 3 === 0 ? 'pro' : 'free', ...(wide ? { blob: WIDE_ATTRIBUTE } : {}) };
    if (api) void client.track({ event: 'export', company: { domain: `c${i % 500}.test` }, user: { id: user.key }, quantity: 1 });
    else await client.variation({ user }, `flag-${i % FLAGS}`, false);
    if (i % 1000 === 999) await yieldToLoop();
  }
  const ms = performance.now() - started;
  const retainedMb = (retainedBytes() - before) / 1e6;
  return { scenario, calls, retainedMb, ms };
}

const scenario = process.argv[2] as HeapScenario;
run(scenario).then(
  (figure) => {
    process.stdout.write(`${JSON.stringify(figure)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error)?.stack ?? error}\n`);
    process.exit(1);
  },
);
