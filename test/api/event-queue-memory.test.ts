import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * What a full event queue keeps in memory while its endpoint is down and its sender waits out a long backoff:
 * 200,000 events of 1 KB through a queue of 1,000. The queue lets go of each event it drops, so the heap kept
 * is about the 1,000 events it holds (~1 MB), far below the 100 MB and more it takes to keep the events ever
 * queued reachable. Measured in a child process of its own with --expose-gc, so nothing else's garbage counts.
 */
describe('event queue memory', () => {
  it('keeps about what it holds, not every event ever queued, while its sender backs off', async () => {
    const child = fileURLToPath(new URL('./event-queue-memory-child.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', child], { maxBuffer: 1 << 20 });
    const { kept, stats } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { kept: number; stats: { queued: number; dropped: number } };
    expect(stats.queued).toBeLessThanOrEqual(1000 + 100);
    expect(stats.queued + stats.dropped).toBe(200_000);
    expect(kept).toBeLessThan(20 * 1024 * 1024);
  }, 60_000);
});
