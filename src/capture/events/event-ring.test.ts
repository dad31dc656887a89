import { describe, expect, it } from 'vitest';
import { EventRing } from './event-ring';

const drain = <T>(ring: EventRing<T>): T[] => {
  const out: T[] = [];
  for (let next = ring.shift(); next !== undefined; next = ring.shift()) out.push(next.event);
  return out;
};

describe('EventRing', () => {
  it('keeps events in order across wrap-arounds and growth, with their sizes summed exactly', () => {
    const ring = new EventRing<number>(5000, Number.POSITIVE_INFINITY);
    const expected: number[] = [];
    let next = 0;
    // Take some, add more, many times over: the head wraps around the backing array while it grows.
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 100; i++) {
        ring.push(next, next % 7);
        expected.push(next++);
      }
      for (let i = 0; i < 60; i++) expect(ring.shift()?.event).toBe(expected.shift());
    }
    expect(ring.length).toBe(expected.length);
    expect(ring.bytes).toBe(expected.reduce((sum, n) => sum + (n % 7), 0));
    expect(drain(ring)).toEqual(expected);
    expect(ring.bytes).toBe(0);
  });

  it('is bounded by count and by bytes: fits() says no at either bound, and push past them throws', () => {
    const byCount = new EventRing<string>(3, 1000);
    for (const event of ['a', 'b', 'c']) byCount.push(event, 1);
    expect(byCount.fits(1)).toBe(false);
    expect(() => byCount.push('d', 1)).toThrow(RangeError);

    const byBytes = new EventRing<string>(1000, 10);
    byBytes.push('aaaa', 4);
    byBytes.push('bbbb', 4);
    expect(byBytes.fits(2)).toBe(true);
    expect(byBytes.fits(3)).toBe(false);
    byBytes.shift();
    expect(byBytes.fits(6)).toBe(true);
    expect(byBytes.bytes).toBe(4);
  });

  it('empties with clear() and reports how many it held', () => {
    const ring = new EventRing<string>(10, 100);
    ring.push('a', 1);
    ring.push('b', 2);
    expect(ring.clear()).toBe(2);
    expect(ring.length).toBe(0);
    expect(ring.bytes).toBe(0);
    expect(ring.shift()).toBeUndefined();
  });
});
