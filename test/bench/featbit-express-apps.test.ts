import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BENCH_CONTEXTS,
  BENCH_FEATBIT_FLAGS,
  BENCH_FLAGS,
  BENCH_USERS,
  createBenchClient,
  FEATBIT_READS,
  featBitBenchApp,
  READS,
} from '../../bench/featbit-express-apps';
import type { FlagsClient } from '../../src/server/index';
import { FeatBitTestServer } from '../support/featbit-server';

// The FeatBit Express bench compares flagwire's FeatBit mode with the flags file on "the same 20 flags": they
// must serve every bench user the same values, read as their flag's type, or the figures compare different work.
let server: FeatBitTestServer;
let dir: string;
const clients = new Map<string, FlagsClient>();

beforeAll(async () => {
  server = await new FeatBitTestServer().start();
  server.setAll({ flags: BENCH_FEATBIT_FLAGS });
  dir = mkdtempSync(join(tmpdir(), 'flagwire-featbit-express-'));
  for (const kind of ['featbit', 'file'] as const) {
    const client = createBenchClient(kind, dir, { envSecret: server.secret, streamingUri: server.url, eventsUri: server.url })!;
    expect(await client.ready()).toBe('ready');
    clients.set(kind, client);
  }
});
afterAll(async () => {
  for (const client of clients.values()) await client.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const served = (kind: string) => BENCH_CONTEXTS.map((context) => READS.map(({ key, fallback }) => clients.get(kind)!.snapshotNow(context)!.variationDetail(key, fallback)));

describe('the FeatBit Express bench fixture', () => {
  it('serves every bench user the same 20 values from FeatBit and from the flags file, each of its flag\'s type', () => {
    const featbit = served('featbit');
    const file = served('file');
    expect(featbit.length).toBe(BENCH_USERS);
    expect(featbit.map((reads) => reads.map((detail) => detail.value))).toEqual(file.map((reads) => reads.map((detail) => detail.value)));
    for (const detail of [...featbit.flat(), ...file.flat()]) expect(['rule_match', 'fallthrough']).toContain(detail.kind);
  });

  it('has 20 flags of four types whose rules and rollouts split the users, but for the one-value flags', () => {
    expect(new Set(BENCH_FLAGS.map((flag) => `${flag.type}/${flag.shape}`)).size).toBe(FEATBIT_READS);
    const values = served('featbit');
    BENCH_FLAGS.forEach((flag, f) => {
      const distinct = new Set(values.map((reads) => JSON.stringify(reads[f]!.value)));
      expect(distinct.size, flag.key).toBe(flag.shape === 'everyone' ? 1 : flag.type === 'boolean' ? 2 : flag.shape === 'rollout' ? 3 : 2);
    });
  });

  it('renders the same pages through Express for both sources, and other pages on bare Express', async () => {
    const pages = async (client: FlagsClient | null) => {
      const http: Server = createServer(featBitBenchApp(client));
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(http.address() as { port: number }).port}/`;
      const bodies: string[] = [];
      for (let i = 0; i < 10; i++) bodies.push(await (await fetch(url)).text());
      await new Promise((resolve) => http.close(resolve));
      return bodies;
    };
    const featbit = await pages(clients.get('featbit')!);
    expect(featbit).toEqual(await pages(clients.get('file')!));
    expect(featbit[0]!.match(/<li>/g)).toHaveLength(FEATBIT_READS);
    expect(new Set(featbit).size).toBeGreaterThan(1);
    const bare = await pages(null);
    expect(new Set(bare).size).toBe(1);
    expect(bare[0]!.match(/<li>/g)).toHaveLength(FEATBIT_READS);
  });
});
