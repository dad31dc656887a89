import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createFlagsClient, type FlagsClient } from '../src/server/index';
import { featBitFlag } from '../test/support/featbit-builders';
import type { HeapFigure, HeapScenario } from './event-queues-child';

/**
 * The event queues under pressure (issue 21, item 5), in two parts:
 * - memory: the heap a client keeps after many calls while its events endpoint refuses every connection
 *   (each scenario alone in a child process, see event-queues-child.ts);
 * - throughput: events delivered within 15 s to an events server that answers each POST after 50 ms, while
 *   the app queues about 18,600 events a second (Schematic API mode's track(), and FeatBit mode's insights).
 * Absolute figures; the heap figures hardly move with the machine's load, the throughput ones are bounded by
 * the 50 ms answers rather than by this machine's speed.
 */
const HEAP_SCENARIOS: { scenario: HeapScenario; label: string }[] = [
  { scenario: 'featbit-small', label: 'FeatBit mode, 1M variation() calls, small user, 20 flags' },
  { scenario: 'featbit-wide', label: 'FeatBit mode, 50,000 variation() calls, user with a 16 KB attribute no flag reads' },
  { scenario: 'featbit-wide-read', label: 'FeatBit mode, 50,000 variation() calls, user with a 16 KB attribute one flag reads' },
  { scenario: 'api-track', label: 'Schematic API mode, 1M track() calls' },
];
const RUN_MS = 15_000;
const SERVER_DELAY_MS = 50;
const EVENTS_PER_TICK = 186;
const TICK_MS = 10;

function heapFigure(scenario: HeapScenario): Promise<HeapFigure> {
  const child = fileURLToPath(new URL('./event-queues-child.ts', import.meta.url));
  const proc = spawn(process.execPath, ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', child, scenario], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) =>
    proc.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as HeapFigure) : reject(new Error(`${scenario}: exit ${code}: ${err.slice(-2000)}`)))),
  );
}

interface SlowSink {
  url: string;
  /** Events in batches answered 200 so far. */
  delivered: number;
  posts: number;
  close(): Promise<void>;
}

/** An events server that answers every POST with 200 after 50 ms, counting the events of each batch it answers. */
async function startSlowSink(countEvents: (body: unknown) => number): Promise<SlowSink> {
  const sink = { delivered: 0, posts: 0 };
  const http: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const events = countEvents(JSON.parse(Buffer.concat(chunks).toString() || 'null'));
      setTimeout(() => {
        sink.posts++;
        sink.delivered += events;
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      }, SERVER_DELAY_MS);
    });
  });
  http.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return Object.assign(sink, {
    url: `http://127.0.0.1:${(http.address() as { port: number }).port}`,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())).then(() => http.closeAllConnections()),
  });
}

async function refusingUrl(): Promise<string> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Queues EVENTS_PER_TICK events every TICK_MS for 15 s; returns how many were offered and how many the sink had answered by then. */
async function throughput(kind: 'api' | 'featbit'): Promise<{ offered: number; delivered: number; posts: number }> {
  const sink = await startSlowSink((body) => (kind === 'api' ? ((body as { events: unknown[] }).events?.length ?? 0) : ((body as unknown[])?.length ?? 0)));
  let client: FlagsClient;
  if (kind === 'api') {
    client = createFlagsClient({ apiKey: 'sch_bench', basePath: sink.url, eventCaptureBaseURL: sink.url, logLevel: 'silent' });
  } else {
    const bootstrap = { messageType: 'data-sync', data: { eventType: 'full', featureFlags: [featBitFlag({ key: 'f' })], segments: [] } };
    client = createFlagsClient({ featbit: { envSecret: 'bench', streamingUri: await refusingUrl(), eventsUri: sink.url, pollingUri: false, bootstrap }, logLevel: 'silent' });
  }
  await client.ready();
  let offered = 0;
  const started = performance.now();
  const deadline = started + RUN_MS;
  for (let tick = 1; performance.now() < deadline; tick++) {
    for (let i = 0; i < EVENTS_PER_TICK; i++, offered++) {
      if (kind === 'api') void client.track({ event: 'export', company: { domain: 'acme.test' }, user: { id: `u${offered}` } });
      else void client.variation({ user: { key: `u${offered}` } }, 'f', false);
    }
    const wait = started + tick * TICK_MS - performance.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(wait, deadline - performance.now()))));
  }
  const { delivered, posts } = sink;
  const closing = client.close();
  await sink.close();
  await closing.catch(() => undefined);
  return { offered, delivered, posts };
}

export async function eventQueuesBench(): Promise<string> {
  const heap: HeapFigure[] = [];
  for (const { scenario } of HEAP_SCENARIOS) heap.push(await heapFigure(scenario));
  const api = await throughput('api');
  const featbit = await throughput('featbit');
  const mb = (n: number) => `${n.toFixed(1)} MB`;
  return [
    '## Event queues: memory with the events endpoint refusing, and throughput to a server 50 ms away',
    '',
    'Heap kept after the calls (after two full GCs, less the heap before the first call), each scenario in its own process, every connection to the events endpoint refused. Default bounds: 100,000 queued events (and 64 MiB, where the code measured has a byte bound).',
    '',
    '| scenario | heap kept | time for the calls |',
    '|---|---|---|',
    ...heap.map((h, i) => `| ${HEAP_SCENARIOS[i]?.label} | ${mb(h.retainedMb)} | ${(h.ms / 1000).toFixed(1)} s |`),
    '',
    `Events delivered within 15 s to an events server answering each POST after ${SERVER_DELAY_MS} ms, the app queueing ${(EVENTS_PER_TICK * 1000) / TICK_MS} events a second:`,
    '',
    '| events | offered | delivered in 15 s | POSTs answered |',
    '|---|---|---|---|',
    `| Schematic API mode track() (batches of 100) | ${api.offered} | ${api.delivered} | ${api.posts} |`,
    `| FeatBit mode insights (batches of 50) | ${featbit.offered} | ${featbit.delivered} | ${featbit.posts} |`,
  ].join('\n');
}

// `npx tsx bench/event-queues.ts` runs this bench alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) console.log(await eventQueuesBench());
