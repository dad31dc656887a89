import { describe, expect, it } from 'vitest';
import { readSyncMessage } from '../../evaluators/featbit/envelope';
import { DATA_SYNC_PING, dataSyncRequest, readSyncFrame } from './sync-messages';

const envelope = (data: unknown) => JSON.stringify({ messageType: 'data-sync', data });

describe('readSyncFrame', () => {
  it('reads a full event with its flags and segments', () => {
    const frame = readSyncFrame(envelope({ eventType: 'full', featureFlags: [{ key: 'a' }], segments: [{ id: 's' }] }));
    expect(frame).toEqual({ kind: 'data-sync', eventType: 'full', flags: [{ key: 'a' }], segments: [{ id: 's' }] });
  });

  it('reads a patch from a Buffer, from an ArrayBuffer and from fragments', () => {
    const text = envelope({ eventType: 'patch', featureFlags: [], segments: [] });
    const expected = { kind: 'data-sync', eventType: 'patch', flags: [], segments: [] };
    const buffer = Buffer.from(text);
    expect(readSyncFrame(buffer)).toEqual(expected);
    expect(readSyncFrame(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength))).toEqual(expected);
    expect(readSyncFrame([buffer.subarray(0, 7), buffer.subarray(7)])).toEqual(expected);
  });

  it('reads absent or null lists as empty', () => {
    expect(readSyncFrame(envelope({ eventType: 'patch' }))).toEqual({ kind: 'data-sync', eventType: 'patch', flags: [], segments: [] });
    expect(readSyncFrame(envelope({ eventType: 'full', featureFlags: null, segments: null }))).toEqual({ kind: 'data-sync', eventType: 'full', flags: [], segments: [] });
  });

  it('ignores, with a reason, what it cannot read', () => {
    const cases: [string, RegExp][] = [
      ['{not json', /not JSON/],
      ['42', /not a JSON object/],
      ['[]', /not a JSON object/],
      ['null', /not a JSON object/],
      [JSON.stringify({ data: {} }), /no messageType/],
      [JSON.stringify({ messageType: 'pong', data: {} }), /pong/],
      [JSON.stringify({ messageType: 'whatever', data: {} }), /"whatever"/],
      [envelope(null), /no data/],
      [envelope([1]), /no data/],
      [envelope({ eventType: 'replace', featureFlags: [] }), /eventType "replace"/],
      [envelope({ featureFlags: [] }), /eventType undefined/],
      [envelope({ eventType: 'full', featureFlags: {} }), /featureFlags is not a list/],
      [envelope({ eventType: 'patch', segments: 'x' }), /segments is not a list/],
    ];
    for (const [text, reason] of cases) {
      const frame = readSyncFrame(text);
      expect(frame.kind, text).toBe('ignored');
      if (frame.kind === 'ignored') expect(frame.reason, text).toMatch(reason);
    }
  });

  it('does not throw on text JSON.parse cannot take (deep nesting)', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(readSyncFrame(deep).kind).toBe('ignored');
  });

  it('treats __proto__ keys as plain data', () => {
    const frame = readSyncFrame('{"__proto__":{"messageType":"data-sync"},"messageType":"data-sync","data":{"eventType":"patch","__proto__":{"featureFlags":7}}}');
    expect(frame).toEqual({ kind: 'data-sync', eventType: 'patch', flags: [], segments: [] });
  });
});

describe('readSyncMessage', () => {
  it('reads a parsed envelope (a bootstrap object) as readSyncFrame reads its text', () => {
    const message = { messageType: 'data-sync', data: { eventType: 'full', featureFlags: [{ key: 'a' }], segments: [] } };
    expect(readSyncMessage(message)).toEqual(readSyncFrame(JSON.stringify(message)));
    expect(readSyncMessage({ messageType: 'data-sync', data: { eventType: 'full', featureFlags: 'x' } })).toEqual({ kind: 'ignored', reason: 'featureFlags is not a list' });
  });
});

describe('frames flagwire sends', () => {
  it('asks for data newer than a timestamp, and pings with an empty object', () => {
    expect(JSON.parse(dataSyncRequest(1_700_000_000_000))).toEqual({ messageType: 'data-sync', data: { timestamp: 1_700_000_000_000 } });
    expect(JSON.parse(DATA_SYNC_PING)).toEqual({ messageType: 'ping', data: {} });
  });
});
