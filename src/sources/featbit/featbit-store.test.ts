import { describe, expect, it } from 'vitest';
import { featBitFlag, featBitRuleFlag } from '../../../test/support/featbit-builders';
import { evaluateParsedFeatBitFlag, IN_SEGMENT_PROPERTY, NOT_IN_SEGMENT_PROPERTY, parseFeatBitUser } from '../../evaluators/featbit';
import type { FeatBitSegment } from '../../evaluators/featbit/wire-types';
import { FeatBitStore } from './featbit-store';

const at = (iso: string) => ({ updatedAt: iso });
const T1 = '2025-01-01T00:00:00.000Z';
const T2 = '2025-01-02T00:00:00.000Z';
const T3 = '2025-01-03T00:00:00.000Z';
const ms = (iso: string) => Date.parse(iso);

function segment(overrides: Partial<FeatBitSegment> = {}): FeatBitSegment {
  return { id: 'beta', name: 'Beta', included: ['alice'], excluded: [], rules: [], updatedAt: T1, ...overrides };
}

const inSegment = (ids: string[]) => featBitRuleFlag([{ property: IN_SEGMENT_PROPERTY, op: null, value: JSON.stringify(ids) }], { key: 'beta-only', ...at(T1) });
const alice = parseFeatBitUser({ key: 'alice' });

function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const record = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, logger: { error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug') } };
}

function newStore() {
  const log = recordingLogger();
  return { store: new FeatBitStore(log.logger), log };
}

describe('FeatBitStore', () => {
  it('starts empty: version 0, not initialized', () => {
    const { store } = newStore();
    expect(store.version).toBe(0);
    expect(store.initialized).toBe(false);
    expect(store.flagKeys()).toEqual([]);
    expect(store.segments.size).toBe(0);
  });

  it('takes a full, then applies only newer rows of a patch', () => {
    const { store } = newStore();
    const changed = store.applyFull([featBitFlag({ key: 'a', ...at(T1) }), featBitFlag({ key: 'b', ...at(T2) })], [segment()]);
    expect(changed.sort()).toEqual(['a', 'b']);
    expect(store.initialized).toBe(true);
    expect(store.version).toBe(ms(T2));
    expect(store.flagKeys()).toEqual(['a', 'b']);

    const patched = store.applyPatch([featBitFlag({ key: 'a', isEnabled: false, ...at(T3) }), featBitFlag({ key: 'b', isEnabled: false, ...at(T1) })], []);
    expect(patched).toEqual(['a']);
    expect(store.flag('a')?.isEnabled).toBe(false);
    expect(store.flag('b')?.isEnabled).toBe(true);
    expect(store.version).toBe(ms(T3));
  });

  it('ignores a patch row with the same version as the stored one', () => {
    const { store } = newStore();
    store.applyFull([featBitFlag({ key: 'a', ...at(T2) })], []);
    expect(store.applyPatch([featBitFlag({ key: 'a', isEnabled: false, ...at(T2) })], [])).toEqual([]);
    expect(store.flag('a')?.isEnabled).toBe(true);
  });

  it('a full replaces everything: flags it lacks are gone, and the version is its own', () => {
    const { store } = newStore();
    store.applyFull([featBitFlag({ key: 'a', ...at(T3) }), featBitFlag({ key: 'b', ...at(T1) })], []);
    expect(store.applyFull([featBitFlag({ key: 'b', ...at(T1) })], [])).toEqual(['a']);
    expect(store.flagKeys()).toEqual(['b']);
    expect(store.version).toBe(ms(T1));
  });

  it('reports nothing changed, and keeps the parsed objects, for a full identical to what it holds', () => {
    const { store } = newStore();
    const rows = [featBitFlag({ key: 'a' })];
    store.applyFull(rows, [segment()]);
    const before = store.flag('a');
    const segmentsBefore = store.segments;
    expect(store.applyFull(structuredClone(rows), [segment()])).toEqual([]);
    expect(store.flag('a')).toBe(before);
    expect(store.segments).toBe(segmentsBefore);
  });

  it('keeps archived rows as tombstones: absent for evaluation, counted in the version', () => {
    const { store } = newStore();
    store.applyFull([featBitFlag({ key: 'a', ...at(T1) })], [segment()]);
    const changed = store.applyPatch([featBitFlag({ key: 'a', isArchived: true, ...at(T2) })], [segment({ isArchived: true, ...at(T3) })]);
    expect(changed).toEqual(['a']);
    expect(store.flag('a')).toBeUndefined();
    expect(store.flagKeys()).toEqual([]);
    expect(store.segments.has('beta')).toBe(false);
    expect(store.version).toBe(ms(T3));
    // An older live copy arriving late does not resurrect the tombstone.
    expect(store.applyPatch([featBitFlag({ key: 'a', ...at(T1) })], [])).toEqual([]);
    expect(store.flag('a')).toBeUndefined();
  });

  it('keeps a tombstone that would not parse as a live flag (only key and updatedAt are needed)', () => {
    const { store, log } = newStore();
    store.applyFull([featBitFlag({ key: 'a', ...at(T1) })], []);
    expect(store.applyPatch([{ key: 'a', isArchived: true, ...at(T2) }], [{ id: 'gone', isArchived: true, ...at(T3) }])).toEqual(['a']);
    expect(store.version).toBe(ms(T3));
    expect(log.lines).toEqual([]);
  });

  it('lists flags that name a changed segment among the changed keys', () => {
    const { store } = newStore();
    const notIn = featBitRuleFlag([{ property: NOT_IN_SEGMENT_PROPERTY, op: null, value: '["other","beta"]' }], { key: 'not-beta', ...at(T1) });
    store.applyFull([inSegment(['beta']), notIn, featBitFlag({ key: 'plain' })], [segment(), segment({ id: 'other' })]);
    expect(evaluateParsedFeatBitFlag(store.flag('beta-only')!, alice, store.segments).variationId).toBe('on');

    const changed = store.applyPatch([], [segment({ included: [], ...at(T2) })]);
    expect(changed.sort()).toEqual(['beta-only', 'not-beta']);
    expect(evaluateParsedFeatBitFlag(store.flag('beta-only')!, alice, store.segments).variationId).toBe('off');

    // Archiving the segment makes the flag that names it an error, as FeatBit's spec says.
    expect(store.applyPatch([], [segment({ isArchived: true, ...at(T3) })]).sort()).toEqual(['beta-only', 'not-beta']);
    expect(evaluateParsedFeatBitFlag(store.flag('beta-only')!, alice, store.segments).kind).toBe('error');
  });

  it('skips and logs a row that does not parse, applying the rest of the frame', () => {
    const { store, log } = newStore();
    store.applyFull([featBitFlag({ key: 'a', ...at(T1) })], []);
    const changed = store.applyPatch([{ key: 'a', isEnabled: 'yes', updatedAt: T3 }, 42, featBitFlag({ key: 'b', ...at(T2) })], [{ id: 7 }]);
    expect(changed).toEqual(['b']);
    expect(store.flag('a')?.isEnabled).toBe(true);
    expect(store.version).toBe(ms(T2));
    // One line for the frame, however many rows it skipped.
    expect(log.lines).toEqual([{ level: 'warn', message: expect.stringMatching(/^FeatBit patch: skipped 3 of 4 rows that do not parse — flag "a": .*isEnabled.*; flag #1: not an object; segment #0: /) }]);
  });

  it('tells a frame of 100,000 bad rows in one line, quoting three of them', () => {
    const { store, log } = newStore();
    store.applyPatch(Array.from({ length: 100_000 }, (_, i) => ({ key: `k${i}` })), []);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]?.message).toMatch(/^FeatBit patch: skipped 100000 of 100000 rows that do not parse — flag "k0": .*; flag "k1": .*; flag "k2": .*; and 99997 more$/);
  });

  it('names a flag stored with a condition it cannot evaluate (a regex RE2 cannot run), once, at its place in the flag', () => {
    const { store, log } = newStore();
    const backreference = featBitRuleFlag([{ property: 'plan', op: 'MatchRegex', value: '(a)\\1' }], { key: 'twice', ...at(T1) });
    store.applyFull([backreference, featBitFlag({ key: 'fine', ...at(T1) })], []);
    expect(log.lines).toEqual([
      { level: 'warn', message: expect.stringMatching(/^FeatBit full: stored 1 with conditions that cannot be evaluated .* — flag "twice": rules\[0\]\.conditions\[0\]: the regular expression "\(a\)\\\\1" uses a backreference/) },
    ]);
    // The same row again (a full after a reconnect) was named already.
    store.applyFull([backreference, featBitFlag({ key: 'fine', ...at(T1) })], []);
    expect(log.lines).toHaveLength(1);
    expect(evaluateParsedFeatBitFlag(store.flag('twice')!, parseFeatBitUser({ key: 'ada', customizedProperties: [{ name: 'plan', value: 'aa' }] })).err).toMatch(/rules\[0\]\.conditions\[0\]: the regular expression/);
  });

  it('never throws, whatever it is handed', () => {
    const { store } = newStore();
    const cyclic: Record<string, unknown> = { key: 'c', isArchived: true };
    cyclic.self = cyclic;
    const hostile = { get key(): string { throw new Error('boom'); } };
    expect(() => store.applyFull([cyclic, hostile, null, [], 'x'], [undefined, { id: '__proto__', included: [], excluded: [], rules: [] }])).not.toThrow();
    expect(() => store.applyPatch('nope' as unknown as unknown[], {} as unknown as unknown[])).not.toThrow();
    expect(store.segments.has('__proto__')).toBe(true);
  });

  it('commits an empty patch: the store is then initialized', () => {
    const { store } = newStore();
    expect(store.applyPatch([], [])).toEqual([]);
    expect(store.initialized).toBe(true);
  });

  it('reads a missing or unreadable updatedAt as version 0', () => {
    const { store } = newStore();
    store.applyFull([featBitFlag({ key: 'a', updatedAt: undefined }), featBitFlag({ key: 'b', updatedAt: 'not a date' })], []);
    expect(store.version).toBe(0);
    expect(store.flagKeys()).toEqual(['a', 'b']);
  });
});
