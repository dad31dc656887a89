import { FbClientBuilder, type IFbClient, UserBuilder } from '@featbit/node-server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { BENCH_CONTEXTS, BENCH_FEATBIT_FLAGS, BENCH_FLAGS, READS } from '../../bench/featbit-express-apps';
import { createFlagsClient, type FlagsClient } from '../../src/server/index';
import { FeatBitTestServer } from '../support/featbit-server';

/**
 * Insights grouped per request still report every read exactly once: the same reads through FeatBit's own Node
 * SDK and through flagwire reach the same collector as the same (user, flag, variation, experiment) entries,
 * however flagwire groups them into items.
 */
type Entry = string;
interface Item {
  user: { keyId: string };
  variations?: { featureFlagKey: string; variation: { id: string; value: string }; sendToExperiment: boolean }[];
}

function entries(bodies: readonly unknown[]): { entries: Entry[]; items: number } {
  const all: Entry[] = [];
  let items = 0;
  for (const body of bodies as Item[][]) {
    for (const item of body) {
      if (!item.variations) continue;
      items++;
      for (const v of item.variations) all.push(`${item.user.keyId} ${v.featureFlagKey} ${v.variation.id} ${v.variation.value} ${v.sendToExperiment}`);
    }
  }
  return { entries: all.sort(), items };
}

async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(what);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const USERS = BENCH_CONTEXTS.slice(0, 12);

let server: FeatBitTestServer | null = null;
let sdk: IFbClient | null = null;
let client: FlagsClient | null = null;
afterEach(async () => {
  await sdk?.close();
  await client?.close();
  await server?.stop();
  sdk = client = server = null;
});

describe('FeatBit insights grouped per request', () => {
  it("report each read exactly once, as FeatBit's Node SDK reports the same reads", async () => {
    // FeatBit's SDK: every flag for every user, one variation call each.
    server = await new FeatBitTestServer().start();
    server.setAll({ flags: [...BENCH_FEATBIT_FLAGS] });
    sdk = new FbClientBuilder().sdkKey(server.secret).streamingUri(server.url).eventsUri(server.url).logLevel('none').build();
    await sdk.waitForInitialization();
    for (const context of USERS) {
      const builder = new UserBuilder(context.user?.key as string);
      for (const [name, value] of Object.entries(context.attributes?.user ?? {})) builder.custom(name, String(value));
      const user = builder.build();
      for (const flag of BENCH_FLAGS) {
        if (flag.type === 'boolean') await sdk.boolVariation(flag.key, user, false);
        else if (flag.type === 'number') await sdk.numberVariation(flag.key, user, 0);
        else if (flag.type === 'json') await sdk.jsonVariation(flag.key, user, {});
        else await sdk.stringVariation(flag.key, user, '');
      }
    }
    await sdk.close();
    sdk = null;
    const theirs = entries(server.insights);
    expect(theirs.entries).toHaveLength(USERS.length * BENCH_FLAGS.length);
    await server.stop();

    // flagwire: a request per user; half read all flags at once, half in two turns (an await between).
    server = await new FeatBitTestServer().start();
    server.setAll({ flags: [...BENCH_FEATBIT_FLAGS] });
    client = createFlagsClient({ featbit: { envSecret: server.secret, streamingUri: server.url, eventsUri: server.url }, logLevel: 'silent' });
    await client.ready();
    for (const [i, context] of USERS.entries()) {
      const snapshot = await client.snapshot(context);
      for (const [n, { key, fallback }] of READS.entries()) {
        if (i % 2 === 1 && n === READS.length / 2) await new Promise((resolve) => setTimeout(resolve, 5));
        snapshot.variation(key, fallback);
        // Read again: the same request reports a flag once.
        snapshot.variation(key, fallback);
      }
    }
    await client.close();
    client = null;
    await until(() => entries(server?.insights ?? []).entries.length >= theirs.entries.length, 'flagwire reported fewer reads');
    const mine = entries(server.insights);
    expect(mine.entries).toEqual(theirs.entries);
    // One item per request, and one more for each request whose reads spanned an await.
    expect(mine.items).toBe(USERS.length + USERS.length / 2);
  });
});
