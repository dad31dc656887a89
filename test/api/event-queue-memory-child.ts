/**
 * A child process for the event queue memory test (started with --expose-gc): 200,000 events of 1 KB each
 * queued into an EventBuffer capped at 1,000 events whose endpoint fails every send and whose sender then
 * waits a minute, with the event loop let go every 1,000 events. Prints the heap kept (after two full GCs,
 * less the heap before) in bytes, and the buffer's own counts, as one JSON line.
 */
import { ApiError } from '../../src/core/errors';
import { EventBuffer } from '../../src/capture/events/event-buffer';

const EVENTS = 200_000;
const silent = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const buffer = new EventBuffer<string>({
  destination: 'Schematic',
  maxQueuedOption: 'maxQueuedEvents',
  send: async () => {
    throw new ApiError('status', 'unavailable', { status: 503 });
  },
  intervalMs: 10,
  maxBatch: 100,
  maxQueued: 1000,
  logger: silent,
  random: () => 0.5,
  retryInitialDelayMs: 60_000,
});
const before = heap();
for (let i = 0; i < EVENTS; i++) {
  // A flat 1 KB string of its own per event (a concatenation would share one buffer between them all).
  buffer.push(String(i).padStart(1024, '#'));
  if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
}
const kept = heap() - before;
process.stdout.write(`${JSON.stringify({ kept, stats: buffer.stats })}\n`);
process.exit(0);
