import { afterEach, describe, expect, it } from 'vitest';
import { evaluateParsedFeatBitFlag, parseFeatBitUser } from '../../src/evaluators/featbit';
import type { FeatBitDataSync } from '../../src/sources/featbit/data-sync-client';
import { FeatBitStore } from '../../src/sources/featbit/featbit-store';
import { readSyncFrame } from '../../src/sources/featbit/sync-messages';
import { featBitFlag } from '../support/featbit-builders';
import { FeatBitTestServer } from '../support/featbit-server';
import { Random } from '../support/random';
import { fuzzFrame } from './fuzz-frames';
import { startSync } from './sync-harness';

const FRAMES = 10_000;
const SEED = 0x5eed15;
const silent = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
const users = [parseFeatBitUser({ key: 'alice' }), parseFeatBitUser({ key: 'bob', customizedProperties: [{ name: 'plan', value: 'pro' }] })];

function frames(): (string | Buffer)[] {
  const random = new Random(SEED);
  return Array.from({ length: FRAMES }, () => fuzzFrame(random));
}

/** Feeds one frame as the sync client does; returns what it was. */
function feed(store: FeatBitStore, raw: string | Buffer): 'full' | 'patch' | 'ignored' {
  const frame = readSyncFrame(raw);
  if (frame.kind === 'ignored') return 'ignored';
  if (frame.eventType === 'full') store.applyFull(frame.flags, frame.segments);
  else store.applyPatch(frame.flags, frame.segments);
  return frame.eventType;
}

/** What is wrong with the store, if anything: every listed flag parsed and live, segments live, a finite version. */
function problemsOf(store: FeatBitStore): string[] {
  const problems: string[] = [];
  const keys = store.flagKeys();
  if (new Set(keys).size !== keys.length) problems.push(`duplicate keys in ${JSON.stringify(keys)}`);
  for (const key of keys) {
    const flag = store.flag(key);
    if (flag?.key !== key || flag.isArchived) problems.push(`flag ${JSON.stringify(key)} is listed but not a live parsed flag`);
    else {
      try {
        for (const user of users) evaluateParsedFeatBitFlag(flag, user, store.segments);
      } catch (error) {
        problems.push(`flag ${JSON.stringify(key)} threw on evaluation: ${(error as Error).message}`);
      }
    }
  }
  for (const [id, segment] of store.segments) if (segment.id !== id || segment.isArchived) problems.push(`segment ${JSON.stringify(id)} is not a live parsed segment`);
  if (!Number.isFinite(store.version)) problems.push(`version ${store.version}`);
  return problems;
}

let server: FeatBitTestServer | null = null;
let sync: FeatBitDataSync | null = null;
afterEach(async () => {
  await sync?.close();
  await server?.stop();
});

describe('FeatBit data sync under 10,000 fuzzed frames', () => {
  it('never throws, keeps only parsed flags, and moves the version only forward except on a full (which sets it to its own)', () => {
    const store = new FeatBitStore(silent);
    const seen = { full: 0, patch: 0, ignored: 0 };
    const problems: string[] = [];
    frames().forEach((raw, i) => {
      const before = store.version;
      // A throw here fails the test with the frame's index in the stack.
      const kind = feed(store, raw);
      seen[kind]++;
      if (kind === 'full') {
        const fresh = new FeatBitStore(silent);
        feed(fresh, raw);
        if (store.version !== fresh.version) problems.push(`frame ${i}: version ${store.version} after a full whose own is ${fresh.version}`);
      } else if (store.version < before) problems.push(`frame ${i}: version went back from ${before} to ${store.version} on a ${kind}`);
      for (const problem of problemsOf(store)) problems.push(`frame ${i}: ${problem}`);
    });
    expect(problems.slice(0, 10)).toEqual([]);
    // The mix exercised every path, and nothing leaked onto Object.prototype.
    expect(Math.min(seen.full, seen.patch, seen.ignored)).toBeGreaterThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(store.flagKeys().length).toBeGreaterThan(0);
  });

  it('takes them over a real socket without dropping the connection, ending where an in-process store ends', async () => {
    server = await new FeatBitTestServer().start();
    const started = startSync(server);
    sync = started.sync;
    const { store, changes, connected } = started;
    expect(await connected.next()).toBe(true);
    const reference = new FeatBitStore(silent);
    reference.applyFull([], []);
    const all = frames();
    for (const raw of all) {
      feed(reference, raw);
      server.sendRaw(raw);
    }
    // A sentinel after the fuzz: once it is applied, every frame before it has been.
    server.push({ flags: [featBitFlag({ key: 'zz-sentinel', updatedAt: '+275760-09-13T00:00:00.000Z' })] });
    await changes.until((keys) => keys.includes('zz-sentinel'));
    expect(server.counts.connections).toBe(1);
    expect(store.flagKeys().filter((k) => k !== 'zz-sentinel')).toEqual(reference.flagKeys());
    expect(store.segments.size).toBe(reference.segments.size);
    expect(problemsOf(store)).toEqual([]);
    // The connection never dropped.
    expect(connected.all).toEqual([true]);
  });
});
