import { describe, expect, it } from 'vitest';
import { snapshotFromEndpoint } from '../../src/edge/index';
import { createFlagsClient, defineFlags, FlagsSnapshot } from '../../src/server/index';
import { recordingLogger } from '../support/flags-files';

// Names every plain object inherits: a lookup that is not own-property-only finds a function (truthy) here.
const INHERITED_NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf'];
const acme = { company: { domain: 'acme.test' } };

describe('flags named after Object.prototype members', () => {
  it.each(['local', 'offline'] as const)('are unknown and default to false in %s mode: checkFlag, checkFlags, isEnabled, detail', async (mode) => {
    const client = createFlagsClient({
      ...(mode === 'offline' ? { offline: true } : { flags: defineFlags({ real: { default: true } }) }),
      flagDefaults: { real: true },
      logger: recordingLogger().logger,
    });
    try {
      await client.ready();
      for (const key of INHERITED_NAMES) {
        expect(await client.checkFlag(acme, key), key).toBe(false);
        expect((await client.checkFlagWithEntitlement(acme, key)).value, key).toBe(false);
        const snapshot = await client.snapshot(acme);
        expect(snapshot.isEnabled(key), key).toBe(false);
        expect(snapshot.detail(key).value, key).toBe(false);
      }
      const bulk = await client.checkFlags(acme, INHERITED_NAMES);
      expect(bulk.map((r) => r.value)).toEqual(INHERITED_NAMES.map(() => false));
      // The configured default of a real flag still applies.
      expect((await client.snapshot(acme)).isEnabled('real')).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('read as unset defaults in a snapshot from a browser payload and from the edge endpoint', async () => {
    const fromJson = FlagsSnapshot.fromJSON({ v: 1, flags: { real: { value: true } } });
    for (const key of INHERITED_NAMES) expect(fromJson.isEnabled(key), key).toBe(false);

    const payload = { v: 1, flags: { real: { value: true } } };
    const fetchPayload = (async () => Response.json(payload)) as unknown as typeof fetch;
    const edge = await snapshotFromEndpoint('http://app.test/api/flags', new Request('http://app.test/'), { fetch: fetchPayload, flagDefaults: {} });
    for (const key of INHERITED_NAMES) expect(edge.isEnabled(key), key).toBe(false);
    expect(edge.isEnabled('real')).toBe(true);
  });

  it('serialise a client flag called __proto__ as an own property, never as the payload’s prototype', async () => {
    const client = createFlagsClient({ offline: true, clientFlags: ['__proto__', 'real'], flagDefaults: { real: true }, logger: recordingLogger().logger });
    try {
      const json = (await client.snapshot(acme)).toJSON();
      expect(Object.getPrototypeOf(json.flags)).toBe(Object.prototype);
      expect(Object.hasOwn(json.flags, '__proto__')).toBe(true);
      expect(JSON.parse(JSON.stringify(json))).toEqual({ v: 2, flags: JSON.parse('{"__proto__":{"value":false},"real":{"value":true}}') });
    } finally {
      await client.close();
    }
  });
});
