import { featBitFlag } from '../support/featbit-builders';
import type { Random } from '../support/random';

/**
 * Frames for the data-sync fuzz test: valid envelopes, envelopes with one field broken somewhere, and text
 * that is barely (or not) JSON — wrong types, huge numbers, unknown types, prototype keys, deep nesting.
 */
type Json = Record<string, unknown>;

const KEYS = ['a', 'b', 'c', 'd', '__proto__', 'constructor', 'toString', 'hasOwnProperty', ''];
const SEGMENT_IDS = ['s1', 's2', '__proto__', 'prototype'];
const DATES: unknown[] = [
  '2025-01-01T00:00:00.000Z',
  '2025-01-02T00:00:00.000Z',
  '2025-01-03T00:00:00.000Z',
  '2025-06-01T12:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '-000001-01-01T00:00:00.000Z',
  '1969-12-31T23:59:59.999Z',
  'not a date',
  '',
  undefined,
  null,
  1_700_000_000_000,
];
const WRONG: unknown[] = [null, 'zz', 7, 1.5, -2, true, false, [], {}, [null], 2 ** 63, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, '__proto__', { __proto__: null, x: 1 }, '[]', '["s1"]'];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];

function segmentCondition(random: Random): Json {
  const ids = random.subset(SEGMENT_IDS, 0.5);
  return { property: random.pick(['User is in segment', 'User is not in segment']), op: null, value: JSON.stringify(ids) };
}

function flag(random: Random): Json {
  const key = random.pick(KEYS);
  const conditions = random.chance(0.4) ? [segmentCondition(random)] : [{ property: 'plan', op: 'Equal', value: 'pro' }];
  return {
    ...featBitFlag({ key, id: `id-${key}`, isEnabled: random.chance(0.7) }),
    updatedAt: random.pick(DATES),
    isArchived: random.chance(0.15),
    rules: [{ id: 'r', name: 'R', dispatchKey: null, includedInExpt: false, conditions, variations: [{ id: 'on', rollout: [0, 1], exptRollout: 0 }] }],
  };
}

function segment(random: Random): Json {
  return {
    id: random.pick(SEGMENT_IDS),
    name: 'S',
    included: random.subset(['alice', 'bob']),
    excluded: random.subset(['carol']),
    rules: random.chance(0.3) ? [{ id: 'sr', name: 'SR', conditions: [{ property: 'plan', op: 'Equal', value: 'pro' }] }] : [],
    updatedAt: random.pick(DATES),
    isArchived: random.chance(0.15),
  };
}

function envelope(random: Random): Json {
  return {
    messageType: 'data-sync',
    data: { eventType: random.pick(['full', 'patch', 'patch', 'patch']), featureFlags: random.times(0, 4, () => flag(random)), segments: random.times(0, 2, () => segment(random)) },
  };
}

function objectNodes(value: unknown, into: Json[] = []): Json[] {
  if (Array.isArray(value)) for (const item of value) objectNodes(item, into);
  else if (value !== null && typeof value === 'object') {
    into.push(value as Json);
    for (const item of Object.values(value)) objectNodes(item, into);
  }
  return into;
}

/** One field somewhere in the envelope removed, retyped, or joined by a prototype key. */
function mutated(random: Random): string {
  const frame = envelope(random);
  const node = random.pick(objectNodes(frame));
  const fields = Object.keys(node);
  const roll = random.next();
  if (roll < 0.3 && fields.length > 0) delete node[random.pick(fields)];
  else if (roll < 0.8 && fields.length > 0) node[random.pick(fields)] = random.pick(WRONG);
  else {
    // As own keys in the JSON text: JSON.parse makes `__proto__` an ordinary property.
    const text = JSON.stringify(frame);
    const key = random.pick(PROTO_KEYS);
    return text.replace('{', `{"${key}":{"messageType":"data-sync","polluted":true,"featureFlags":7},`);
  }
  return JSON.stringify(frame);
}

function garbage(random: Random): string | Buffer {
  const valid = JSON.stringify(envelope(random));
  switch (random.int(0, 9)) {
    case 0:
      return valid.slice(0, random.int(0, valid.length - 1));
    case 1:
      return Buffer.from(Array.from({ length: random.int(0, 64) }, () => random.int(0, 255)));
    case 2:
      return JSON.stringify(random.pick(WRONG));
    case 3:
      return JSON.stringify({ messageType: random.pick(['pong', 'ping', 'DATA-SYNC', 'data_sync', 'full', '', 7, null]), data: { eventType: 'full', featureFlags: [] } });
    case 4:
      return JSON.stringify({ messageType: 'data-sync', data: { eventType: random.pick(['FULL', 'replace', 'delete', '', null, 1, ['full']]), featureFlags: [] } });
    case 5:
      return random.pick(['1e999', '-1e999', '123456789012345678901234567890', '-0', '"\\ud800"', 'true', 'null', '']);
    case 6:
      return '{"messageType":"data-sync","data":' + '['.repeat(random.int(1, 50_000)) + ']'.repeat(random.int(0, 50_000)) + '}';
    case 7:
      return '{"constructor":{"prototype":{"polluted":true}},"__proto__":{"polluted":true},"messageType":"data-sync","data":{"eventType":"patch","featureFlags":[{"__proto__":{"key":"x"},"key":"constructor"}]}}';
    case 8:
      return JSON.stringify({ messageType: 'data-sync', data: { eventType: 'patch', featureFlags: [{ key: 'a', updatedAt: '2030-01-01T00:00:00Z', variations: 'x'.repeat(random.int(0, 20_000)) }] } });
    default:
      return Buffer.from(valid);
  }
}

/** The next fuzz frame: about 40% valid, 35% mutated, 25% garbage. */
export function fuzzFrame(random: Random): string | Buffer {
  const roll = random.next();
  if (roll < 0.4) return JSON.stringify(envelope(random));
  if (roll < 0.75) return mutated(random);
  return garbage(random);
}
