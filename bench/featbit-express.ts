import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FeatBitTestServer } from '../test/support/featbit-server';
import { bundleServer, countInstructions, valgrindAvailable } from './callgrind';
import { BENCH_FEATBIT_FLAGS, BENCH_USERS, FEATBIT_APP_KINDS, FEATBIT_READS, type FeatBitAppKind } from './featbit-express-apps';

/**
 * `req.flags` with 20 typed `variation` reads, in instructions per request (callgrind, as bench/express-instructions.ts
 * counts the on/off apps): bare Express rendering 20 constants, against flagsMiddleware on FeatBit mode (synced
 * from the FeatBit-protocol test server, with and without insight events) and on the flags file, each app alone
 * in its own process, warmed up, then counted. The FeatBit server, the insight receiver and the load generator run
 * in this process, uncounted. Counts do not move with the machine's load, so the ratios repeat where throughput on
 * this shared machine would not.
 */
// Past ~8,000 requests V8 has optimised the server's hot functions (what it still compiles is in the count).
const WARMUP_REQUESTS = 8000;
// Long enough for major GC cycles, and for many one-second insight flushes, to fall in every window.
const COUNTED_REQUESTS = 4000;
// The same app counts ±20–40K instructions per request from one process to the next: whether V8 optimised some of
// Node's own per-request code (process.nextTick's tick objects, for one) with a fast path or a runtime call. Three
// processes per app, and their median, so one process's luck does not decide a ratio.
const REPEATS = 3;

interface InsightSink {
  url: string;
  posts: number;
  close(): Promise<void>;
}

/** Answers FeatBit's insight POSTs with 200 and counts them; bodies are drained, not kept (millions of events). */
async function startInsightSink(): Promise<InsightSink> {
  const sink = { posts: 0 };
  const http: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.method === 'POST') sink.posts++;
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return Object.assign(sink, {
    url: `http://127.0.0.1:${(http.address() as { port: number }).port}`,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  });
}

/** `requests` GETs, one at a time on one keep-alive connection; the first `keep` pages are returned. */
async function hammer(url: string, requests: number, keep = 0): Promise<string[]> {
  const pages: string[] = [];
  for (let i = 0; i < requests; i++) {
    const response = await fetch(url);
    const page = await response.text();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${page.slice(0, 200)}`);
    if (i < keep) pages.push(page);
  }
  return pages;
}

interface Count {
  instructionsPerRequest: number;
  /** The pages of the first BENCH_USERS requests: one per bench user, in order. */
  pages: string[];
  /** Insight POSTs the app made per 1000 counted requests. */
  insightPostsPerThousand: number;
}

async function countApp(kind: FeatBitAppKind, server: string, dir: string, featbit: FeatBitTestServer, sink: InsightSink): Promise<Count> {
  let pages: string[] = [];
  let posts = 0;
  const total = await countInstructions({
    label: kind,
    server,
    args: [kind, dir, featbit.secret, featbit.url, sink.url],
    dir,
    warmUp: async (url) => {
      pages = await hammer(url, WARMUP_REQUESTS, BENCH_USERS);
    },
    counted: async (url) => {
      const postsBefore = sink.posts;
      await hammer(url, COUNTED_REQUESTS);
      posts = sink.posts - postsBefore;
    },
  });
  return { instructionsPerRequest: total / COUNTED_REQUESTS, pages, insightPostsPerThousand: (posts / COUNTED_REQUESTS) * 1000 };
}

/** Throws unless both FeatBit apps and the flags-file app served each bench user the same page, and bare its constants. */
export function checkPages(pages: Readonly<Record<FeatBitAppKind, readonly string[]>>): void {
  const reference = pages.file;
  if (reference.length === 0) throw new Error('no pages to compare');
  for (const kind of ['featbit', 'featbit-no-insights'] as const) {
    const differs = reference.findIndex((page, i) => pages[kind][i] !== page);
    if (differs >= 0 || pages[kind].length !== reference.length) throw new Error(`the ${kind} app served user ${differs} another page than the flags-file app`);
  }
  if (new Set(pages.bare).size !== 1 || reference.includes(pages.bare[0]!)) throw new Error('bare Express should render the same constants for everyone, unlike the flag apps');
}

const LABELS: Record<FeatBitAppKind, string> = {
  bare: `bare Express rendering ${FEATBIT_READS} constants`,
  featbit: `FeatBit mode + flagsMiddleware + ${FEATBIT_READS} \`variation\` reads (insight events on, the default)`,
  'featbit-no-insights': `the same with \`sendEvents: false\``,
  file: `flags file + flagsMiddleware + ${FEATBIT_READS} \`variation\` reads`,
};

export async function featbitExpressBench(): Promise<string> {
  const heading = `## Express + FeatBit: req.flags with ${FEATBIT_READS} typed reads, in instructions per request (callgrind)`;
  if (!(await valgrindAvailable())) return `${heading}\n\nSkipped: valgrind is not installed on this machine.`;
  const dir = mkdtempSync(join(tmpdir(), 'flagwire-bench-featbit-express-'));
  const featbit = await new FeatBitTestServer().start();
  featbit.setAll({ flags: BENCH_FEATBIT_FLAGS });
  const sink = await startInsightSink();
  try {
    const server = await bundleServer('featbit-express-server', dir);
    const counts = Object.fromEntries(FEATBIT_APP_KINDS.map((kind) => [kind, [] as Count[]])) as Record<FeatBitAppKind, Count[]>;
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      for (const kind of FEATBIT_APP_KINDS) counts[kind].push(await countApp(kind, server, dir, featbit, sink));
      checkPages(Object.fromEntries(FEATBIT_APP_KINDS.map((kind) => [kind, counts[kind][repeat]!.pages])) as Record<FeatBitAppKind, string[]>);
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
    const perRequest = (kind: FeatBitAppKind) => counts[kind].map((count) => count.instructionsPerRequest);
    const bare = median(perRequest('bare'));
    const row = (kind: FeatBitAppKind) => {
      const mine = median(perRequest(kind));
      const posts = median(counts[kind].map((count) => count.insightPostsPerThousand));
      return `| ${LABELS[kind]} | ${perRequest(kind).map((x) => Math.round(x).toLocaleString('en-US')).join(' / ')} | ${(mine / bare).toFixed(3)} | ${(bare / mine).toFixed(3)} | ${posts.toFixed(0)} |`;
    };
    return [
      heading,
      '',
      `20 FeatBit flags (string, number, JSON and boolean; one value for everyone, rules on custom properties \`plan\`, \`country\`, \`age\`,`,
      `34/33/33 and 50/50 rollouts by user key, a rollout inside a rule), and the same 20 flags in the flags file's concise format; the route reads all 20`,
      `with \`req.flags.variation(key, default)\` for the next of ${BENCH_USERS} users and renders them. Before counting, the bench checks that FeatBit mode and`,
      `the flags file served each user the same page. Each app alone under \`valgrind --tool=callgrind\`: ${WARMUP_REQUESTS} warm-up requests uncounted, then ${COUNTED_REQUESTS}`,
      `counted, one at a time on one keep-alive connection, from this (uncounted) process, which also runs the FeatBit test server and an insight`,
      `receiver answering 200. The whole server process is counted (HTTP, Express, middleware, insight POSTs, GC, JIT); ${REPEATS} repeats,`,
      'each app in a new process; the ratios are of the medians.',
      '',
      '| app | instructions per request (each repeat) | median ÷ bare\'s (cost) | bare\'s ÷ median (≈ throughput ratio) | insight POSTs per 1000 requests (median) |',
      '|---|---|---|---|---|',
      ...FEATBIT_APP_KINDS.map(row),
    ].join('\n');
  } finally {
    await sink.close();
    await featbit.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// `npx tsx bench/featbit-express.ts` runs this bench alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) console.log(await featbitExpressBench());
