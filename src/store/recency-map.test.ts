import { afterEach, describe, expect, it, vi } from 'vitest';
import { RecencyMap } from './recency-map';

describe('RecencyMap', () => {
  afterEach(() => vi.useRealTimers());

  it('drops the least recently used first, telling onDrop', () => {
    const dropped: string[] = [];
    const map = new RecencyMap<string, number>(8, 0, (_, key) => dropped.push(key));
    for (let i = 0; i < 8; i++) map.set(`k${i}`, i);
    // k0 has drifted into the older entries: reading it makes it the most recent.
    for (let i = 8; i < 11; i++) map.set(`k${i}`, i);
    expect(dropped).toEqual(['k0', 'k1', 'k2']);
    expect(map.get('k3')).toBe(3);
    for (let i = 11; i < 14; i++) map.set(`k${i}`, i);
    expect(dropped).toEqual(['k0', 'k1', 'k2', 'k4', 'k5', 'k6']);
    expect(map.peek('k3')).toBe(3);
    expect(map.size).toBe(8);
  });

  it('never drops an entry read while a quarter of its capacity is younger', () => {
    const map = new RecencyMap<number, number>(100);
    for (let i = 0; i < 100; i++) map.set(i, i);
    for (let i = 100; i < 1000; i++) {
      expect(map.get(0)).toBe(0);
      map.set(i, i);
    }
  });

  it('expires entries past their age, and a set may give its own age', () => {
    vi.useFakeTimers();
    const dropped: string[] = [];
    const map = new RecencyMap<string, string>(10, 1000, (_, key) => dropped.push(key));
    map.set('a', 'A');
    map.set('b', 'B', 5000);
    vi.advanceTimersByTime(1001);
    expect(map.get('a')).toBeUndefined();
    expect(map.get('b')).toBe('B');
    expect(dropped).toEqual(['a']);
  });

  it('replaces a value set again without calling it dropped, and deletes on request', () => {
    const dropped: string[] = [];
    const map = new RecencyMap<string, number>(4, 0, (value) => dropped.push(String(value)));
    map.set('a', 1);
    map.set('a', 2);
    expect(map.get('a')).toBe(2);
    expect(map.delete('a')).toBe(true);
    expect(map.delete('a')).toBe(false);
    expect(dropped).toEqual(['2']);
  });
});

describe('RecencyMap generations', () => {
  it('keeps entries read as the map turns over many times, and holds at most its capacity', () => {
    const dropped: number[] = [];
    const map = new RecencyMap<number, number>(40, 0, (value) => dropped.push(value));
    const hot = [0, 1, 2];
    for (let i = 0; i < 2000; i++) {
      map.set(i + 100, i);
      if (i % 5 === 0) for (const key of hot) if (map.get(key) === undefined) map.set(key, -1);
      expect(map.size).toBeLessThanOrEqual(40);
    }
    for (const key of hot) expect(map.peek(key)).toBe(-1);
    // Every other entry went through in the order it was set.
    const cold = dropped.filter((value) => value >= 0);
    expect(cold).toEqual([...cold].sort((a, b) => a - b));
    expect(cold.length).toBe(2000 - (40 - hot.length));
  });

  it('tells onDrop of each entry cleared', () => {
    const dropped: string[] = [];
    const map = new RecencyMap<string, number>(4, 0, (_, key) => dropped.push(key));
    for (const key of ['a', 'b', 'c']) map.set(key, 1);
    map.clear();
    expect(dropped.sort()).toEqual(['a', 'b', 'c']);
    expect(map.size).toBe(0);
    expect(map.get('a')).toBeUndefined();
  });
});
