// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openLiveChannel } from '../../src/browser/live-channel';

/**
 * Notices are not replayed, so a channel that connects again after losing its connection refreshes once for
 * what it may have missed; its first connection does not (the page was just rendered). A stand-in EventSource
 * plays the server.
 */
class FakeEventSource {
  static all: FakeEventSource[] = [];
  onopen: (() => void) | null = null;
  onmessage: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }
  close() {
    this.closed = true;
  }
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  FakeEventSource.all = [];
});

describe('openLiveChannel over server-sent events', () => {
  it('refreshes on each notice, and once when it connects again after a lost connection', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('EventSource', FakeEventSource);
    let refreshes = 0;
    const stop = openLiveChannel('http://app.test/api/flagwire/live', () => void refreshes++, 'sse');
    const first = FakeEventSource.all[0] as FakeEventSource;
    first.onopen?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(refreshes).toBe(0);
    first.onmessage?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(refreshes).toBe(1);

    first.onerror?.();
    expect(first.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000); // past the first backoff (0.5–0.75 s)
    const second = FakeEventSource.all[1] as FakeEventSource;
    expect(second.url).toBe('http://app.test/api/flagwire/live');
    second.onopen?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(refreshes).toBe(2);
    stop();
    expect(second.closed).toBe(true);
  });
});
