import { afterEach, describe, expect, it } from 'vitest';
import { featBitSdkProbe, flagwireProbe, measureSyncLatency, probeFlag, probeValue, pushAndTime, type SyncProbe } from '../../bench/featbit-sync';

// The sync bench's fixture: every push must change what the app reads, and each timed sample must be a push
// the probe actually saw; otherwise its figures time something else.
const opened: SyncProbe[] = [];
afterEach(async () => {
  for (const probe of opened.splice(0)) await probe.close();
});

describe('the FeatBit sync bench fixture', () => {
  it('makes each push newer than the last and flip the value everyone is served', () => {
    const times = [0, 1, 2, 3].map((i) => Date.parse(probeFlag(i).updatedAt ?? ''));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(4);
    expect([0, 1, 2, 3].map(probeValue)).toEqual(['control', 'bold', 'control', 'bold']);
    expect(probeFlag(1).fallthrough.variations).toEqual([{ id: 'v-bold', rollout: [0, 1], exptRollout: 1 }]);
  });

  it('times every push on flagwire and on FeatBit\'s Node SDK, and leaves both reading the last pushed value', async () => {
    const probes = [await featBitSdkProbe(), await flagwireProbe()];
    opened.push(...probes);
    const latencies = await measureSyncLatency(probes, 3, 2);
    expect(latencies.map((samples) => samples.length)).toEqual([3, 3]);
    for (const samples of latencies) for (const ms of samples) expect(Number.isFinite(ms) && ms >= 0).toBe(true);
    for (const probe of probes) {
      expect(await probe.read()).toBe(probeValue(5));
      expect(probe.server.counts.connections).toBe(1);
    }
  });

  it('fails a push the app never reads, rather than timing it', async () => {
    const probe = await flagwireProbe();
    opened.push(probe);
    const blind: SyncProbe = { ...probe, read: async () => 'fallback' };
    await expect(pushAndTime(blind, 1, 300)).rejects.toThrow(/push 1 not seen/);
  });
});
