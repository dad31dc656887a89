import { describe, expect, it } from 'vitest';
import { EventBuffer } from '../../src/capture/events/event-buffer';
import { recordingLogger } from '../support/flags-files';

describe('EventBuffer under steady traffic', () => {
  it('sends what was queued when a send began, and leaves events arriving meanwhile for the next batch, not one request each', async () => {
    const batches: number[][] = [];
    let next = 1;
    const buffer: EventBuffer<number> = new EventBuffer<number>({
      destination: 'Schematic',
      maxQueuedOption: 'maxQueuedEvents',
      // Each send takes a moment, during which the app queues another event (a request arriving).
      send: async (batch) => {
        batches.push([...batch]);
        if (next < 1000) buffer.push(next++);
        await new Promise((resolve) => setImmediate(resolve));
      },
      intervalMs: 60_000,
      maxBatch: 50,
      maxQueued: 10_000,
      logger: recordingLogger().logger,
      random: () => 0.5,
      retryInitialDelayMs: 10,
    });
    buffer.push(0);
    await buffer.flush();
    expect(batches).toEqual([[0]]);
    expect(buffer.size).toBe(1);
    await buffer.flush();
    expect(batches).toEqual([[0], [1]]);
    // Enough for a full batch goes out without waiting for the timer.
    for (let i = 0; i < 49; i++) buffer.push(next++);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(batches[2]).toHaveLength(50);
    await buffer.close(1000);
  });
});
