import { describe, expect, it } from 'vitest';
import { oneAtATime } from './live-channel';

describe('oneAtATime', () => {
  it('turns a burst of notices during a refresh into exactly one more refresh after it', async () => {
    const releases: (() => void)[] = [];
    const notice = oneAtATime(() => new Promise<void>((resolve) => releases.push(resolve)));
    for (let i = 0; i < 200; i++) notice();
    await Promise.resolve();
    expect(releases).toHaveLength(1);
    releases[0]?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(releases).toHaveLength(2);
    releases[1]?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(releases).toHaveLength(2);
    notice();
    await Promise.resolve();
    expect(releases).toHaveLength(3);
  });

  it('keeps refreshing after a refresh fails', async () => {
    let calls = 0;
    const notice = oneAtATime(async () => {
      calls++;
      throw new Error('offline');
    });
    notice();
    await new Promise((resolve) => setTimeout(resolve, 0));
    notice();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toBe(2);
  });
});
