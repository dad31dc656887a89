import { pathToFileURL } from 'node:url';
import { FbClientBuilder, type IFbClient, UserBuilder } from '@featbit/node-server-sdk';
import { createFlagsClient } from '../src/server/index';
import { type FeatBitFlag } from '../src/featbit';
import { featBitFlag } from '../test/support/featbit-builders';
import { FeatBitTestServer } from '../test/support/featbit-server';
import { percentile } from '../test/support/live-latency';

/**
 * Sync latency from a FeatBit server: the time from `server.push(patch)` (a flag's fallthrough changed) to the
 * moment an app reading the flag gets the new value. flagwire's FeatBit mode (`change` event, then
 * `client.variation`) against FeatBit's Node SDK in streaming mode (`update` event, then `stringVariation`),
 * both on the FeatBit-protocol test server, in one run.
 *
 * Each client has a test server of its own (the same code, the same flag): a push then reaches one client only,
 * so neither's frame handling ever queues behind the other's on the shared event loop. Pushes alternate between
 * the two, which goes first swapping every round, so a slow spell of the machine falls on both alike; each
 * push follows a short pause (see SETTLE_MS).
 */
export const SYNC_PUSHES = 200;
const WARMUP_PUSHES = 20;
const CHANGE_TIMEOUT_MS = 5_000;
// A pause before each push, as a real push arrives at a process that has finished with the last one: the
// insight POST a read queues goes out in it, instead of competing with the next push on the event loop.
const SETTLE_MS = 10;
const PROBE_KEY = 'headline';
const VALUES = ['control', 'bold'] as const;
const FIRST_UPDATE_MS = Date.parse('2025-01-01T00:00:00.000Z');

/** The value push `i` makes the probe flag serve; 0 is the value it starts with. */
export const probeValue = (i: number): string => VALUES[i % 2]!;

/** The probe flag as push `i` sends it: everyone falls through to probeValue(i), newer than push i - 1. */
export function probeFlag(i: number): FeatBitFlag {
  return featBitFlag({
    id: PROBE_KEY,
    key: PROBE_KEY,
    variationType: 'string',
    variations: VALUES.map((value) => ({ id: `v-${value}`, value })),
    disabledVariationId: `v-${VALUES[0]}`,
    fallthrough: { dispatchKey: null, includedInExpt: false, variations: [{ id: `v-${probeValue(i)}`, rollout: [0, 1], exptRollout: 1 }] },
    updatedAt: new Date(FIRST_UPDATE_MS + i * 1000).toISOString(),
  });
}

/** One client as an app uses it: told that flags changed, then reads the probe flag. */
export interface SyncProbe {
  readonly name: string;
  readonly server: FeatBitTestServer;
  onChange(listener: () => void): () => void;
  read(): Promise<string>;
  close(): Promise<void>;
}

async function startServer(): Promise<FeatBitTestServer> {
  const server = await new FeatBitTestServer().start();
  server.setAll({ flags: [probeFlag(0)] });
  return server;
}

export async function flagwireProbe(): Promise<SyncProbe> {
  const server = await startServer();
  const client = createFlagsClient({ featbit: { envSecret: server.secret, streamingUri: server.url, eventsUri: server.url }, logLevel: 'silent' });
  if ((await client.ready()) !== 'ready') throw new Error('bench setup: flagwire did not sync from the FeatBit test server');
  const context = { user: { key: 'bench-user' } };
  return {
    name: "flagwire FeatBit mode (`change` event, then `client.variation`)",
    server,
    onChange: (listener) => client.on('change', listener),
    read: () => client.variation(context, PROBE_KEY, 'fallback'),
    close: async () => {
      await client.close();
      await server.stop();
    },
  };
}

export async function featBitSdkProbe(): Promise<SyncProbe> {
  const server = await startServer();
  const sdk: IFbClient = new FbClientBuilder().sdkKey(server.secret).streamingUri(server.url).eventsUri(server.url).logLevel('none').build();
  await sdk.waitForInitialization();
  const user = new UserBuilder('bench-user').name('bench-user').build();
  return {
    name: "FeatBit Node SDK, streaming (baseline: `update` event, then `stringVariation`)",
    server,
    onChange: (listener) => {
      sdk.on('update', listener);
      return () => sdk.off('update', listener);
    },
    read: () => sdk.stringVariation(PROBE_KEY, user, 'fallback'),
    close: async () => {
      await sdk.close();
      await server.stop();
    },
  };
}

/** Pushes probeFlag(i) to the probe's server; resolves with the ms until the probe reads probeValue(i). */
export function pushAndTime(probe: SyncProbe, i: number, timeoutMs = CHANGE_TIMEOUT_MS): Promise<number> {
  const expected = probeValue(i);
  let started = 0;
  return new Promise<number>((resolve, reject) => {
    let done = false;
    const finish = (outcome: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribe();
      outcome();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`${probe.name}: push ${i} not seen within ${timeoutMs} ms`))), timeoutMs);
    // A change event may come before the new value is readable (or for something else): only the read counts.
    const unsubscribe = probe.onChange(() => {
      probe.read().then(
        (value) => {
          if (value === expected) {
            const elapsed = performance.now() - started;
            finish(() => resolve(elapsed));
          }
        },
        (error: unknown) => finish(() => reject(error)),
      );
    });
    started = performance.now();
    probe.server.push({ flags: [probeFlag(i)] });
  });
}

/** `pushes` timed pushes per probe after `warmup` untimed ones, alternating between the probes, first one swapping each round. */
export async function measureSyncLatency(probes: readonly SyncProbe[], pushes: number, warmup = WARMUP_PUSHES, settleMs = SETTLE_MS): Promise<number[][]> {
  const latencies = probes.map((): number[] => []);
  for (const probe of probes) {
    const initial = await probe.read();
    if (initial !== probeValue(0)) throw new Error(`${probe.name} starts on ${initial}, expected ${probeValue(0)}`);
  }
  for (let round = 1; round <= warmup + pushes; round++) {
    const order = round % 2 === 0 ? probes.map((_, i) => i) : probes.map((_, i) => probes.length - 1 - i);
    for (const index of order) {
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      const ms = await pushAndTime(probes[index]!, round);
      if (round > warmup) latencies[index]!.push(ms);
    }
  }
  return latencies;
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

export async function featbitSyncBench(): Promise<string> {
  const probes = [await featBitSdkProbe(), await flagwireProbe()];
  let latencies: number[][];
  try {
    latencies = await measureSyncLatency(probes, SYNC_PUSHES);
  } finally {
    for (const probe of probes) await probe.close();
  }
  const [sdk, flagwire] = latencies as [number[], number[]];
  // Push k of one client and push k of the other ran back to back: their ratio, over k, is the paired figure.
  const pairRatios = flagwire.map((value, k) => value / sdk[k]!);
  const row = (probe: SyncProbe, values: number[]) =>
    `| ${probe.name} | ${ms(percentile(values, 50))} | ${ms(percentile(values, 99))} | ${ms(Math.min(...values))} – ${ms(Math.max(...values))} |`;
  return [
    '## FeatBit sync: from a pushed patch to the new value',
    '',
    `A FeatBit-protocol test server on loopback pushes a \`patch\` changing the fallthrough of a string flag; the time runs from`,
    "`server.push(…)` to the app's read of the flag returning the new value (after the client's change event). Each client",
    `has a server of its own, so a push reaches one client only; pushes alternate between them, each after a ${SETTLE_MS} ms pause (a push`,
    `arrives at a process done with the last one). ${SYNC_PUSHES} timed pushes each, after ${WARMUP_PUSHES} untimed; flagwire sends its insight events (the default).`,
    '',
    '| client | p50 | p99 | min – max |',
    '|---|---|---|---|',
    row(probes[0]!, sdk),
    row(probes[1]!, flagwire),
    '',
    `flagwire / FeatBit Node SDK, paired pushes: median **${percentile(pairRatios, 50).toFixed(3)}** (p50 of each: ${(percentile(flagwire, 50) / percentile(sdk, 50)).toFixed(3)}, p99: ${(percentile(flagwire, 99) / percentile(sdk, 99)).toFixed(3)}).`,
  ].join('\n');
}

// `npx tsx bench/featbit-sync.ts` runs this bench alone. FeatBit's Node SDK leaves a timer of about 20 s running
// after close(), so the process would linger that long once the figures are out.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await featbitSyncBench());
  process.exit(0);
}
