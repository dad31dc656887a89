import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DataStreamClient, DataStreamError } from '../../src/sources/datastream/datastream-client';
import { type FlagStream, startFlagStream } from '../support/datastream-clients';
import type { DataStreamTestServer } from '../support/datastream-server';

/** Settles within `ms` or reports that it did not: an unanswered request must never hang its caller. */
function settledWithin<T>(promise: Promise<T>, ms: number): Promise<'resolved' | 'rejected' | 'pending'> {
  return Promise.race([
    promise.then(
      () => 'resolved' as const,
      () => 'rejected' as const,
    ),
    new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms)),
  ]);
}

async function until(predicate: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('DataStream entity requests nobody answers', () => {
  let stream: FlagStream;
  let server: DataStreamTestServer;
  let client: DataStreamClient;

  async function connect(requestTimeoutMs: number): Promise<DataStreamClient> {
    client = await stream.connect({ requestTimeoutMs });
    // The flag set came; from now on the server reads requests and never answers them.
    server.stalled = true;
    return client;
  }

  beforeEach(async () => {
    stream = await startFlagStream();
    server = stream.server;
  });
  afterEach(() => stream.stop());

  it('times out each unanswered lookup and releases every waiter', async () => {
    await connect(50);
    const lookups = Array.from({ length: 200 }, (_, i) => client.requestEntity('company', { domain: `c${i}.test` }));
    const outcomes = await Promise.all(lookups.map((lookup) => settledWithin(lookup, 2000)));
    expect(new Set(outcomes)).toEqual(new Set(['rejected']));
    await expect(lookups[0]).rejects.toBeInstanceOf(DataStreamError);
    await expect(lookups[0]).rejects.toThrow(/no company arrived within 50 ms/);
    expect(client.pendingRequests).toBe(0);
  });

  it('releases the waiter when its only caller aborts', async () => {
    await connect(60_000);
    const controllers = Array.from({ length: 50 }, () => new AbortController());
    const lookups = controllers.map((c, i) => client.requestEntity('user', { email: `u${i}@x.test` }, c.signal));
    expect(client.pendingRequests).toBe(50);
    for (const c of controllers) c.abort();
    await Promise.allSettled(lookups);
    expect(client.pendingRequests).toBe(0);
  });

  it('keeps a shared request for the callers still waiting when one of them aborts', async () => {
    await connect(60_000);
    const first = new AbortController();
    const aborted = client.requestEntity('company', { domain: 'shared.test' }, first.signal);
    const waiting = client.requestEntity('company', { domain: 'shared.test' }, new AbortController().signal);
    const companyRequests = () => server.received.filter((f) => (f.data as { entity_type?: string }).entity_type === 'rulesengine.Company').length;
    await until(() => companyRequests() > 0);
    expect(companyRequests()).toBe(1);
    first.abort();
    await expect(aborted).rejects.toBeInstanceOf(DataStreamError);
    expect(client.pendingRequests).toBe(1);
    expect(await settledWithin(waiting, 50)).toBe('pending');
    client.close();
    await expect(waiting).rejects.toThrow(/closed/);
    expect(client.pendingRequests).toBe(0);
  });

  it('rejects at once, holding nothing, when the signal has already aborted', async () => {
    await connect(60_000);
    const lookup = client.requestEntity('company', { domain: 'late.test' }, AbortSignal.abort());
    expect(await settledWithin(lookup, 100)).toBe('rejected');
    expect(client.pendingRequests).toBe(0);
  });
});
