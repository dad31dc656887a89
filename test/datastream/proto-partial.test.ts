import { afterEach, describe, expect, it } from 'vitest';
import type { DataStreamEntity, DataStreamSink } from '../../src/sources/datastream/datastream-client';
import type { WireCompany, WireUser } from '../../src/evaluators/schematic/engine';
import { discardingSink, type FlagStream, startFlagStream } from '../support/datastream-clients';

/** A sink that keeps what it is given, as the modes' stores do. */
function keepingSink() {
  const entities = new Map<string, WireCompany | WireUser>();
  const puts: (WireCompany | WireUser)[] = [];
  const sink: DataStreamSink = {
    ...discardingSink,
    putEntity: async (kind: DataStreamEntity, entity) => {
      entities.set(`${kind}:${entity.id}`, entity);
      puts.push(entity);
    },
    mergeEntity: async (kind, id, merge) => {
      const cached = entities.get(`${kind}:${id}`);
      if (!cached) return false;
      await sink.putEntity(kind, merge(cached));
      return true;
    },
  };
  return { sink, puts };
}

describe('DataStream frames naming `__proto__`', () => {
  let stream: FlagStream | null = null;
  afterEach(() => stream?.stop());

  it('a full then a partial, sent as raw JSON text, never give the merged company a foreign prototype', async () => {
    stream = await startFlagStream();
    const { server } = stream;
    const { sink, puts } = keepingSink();
    await stream.connect({ sink });
    server.broadcast(
      '{"entity_type":"rulesengine.Company","message_type":"full","entity_id":"c1","data":{"id":"c1","account_id":"a","environment_id":"e","keys":{"domain":"acme.test"},"__proto__":{"polluted":"x","plan_ids":["plan_pro"]}}}',
    );
    server.broadcast('{"entity_type":"rulesengine.Company","message_type":"partial","entity_id":"c1","data":{"keys":{"__proto__":{"polluted":"y"}}}}');
    const deadline = Date.now() + 2000;
    while (puts.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(puts).toHaveLength(2);
    const merged = puts[1] as unknown as Record<string, unknown>;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(merged.polluted).toBeUndefined();
    expect(merged.plan_ids).toBeUndefined();
    expect(Object.getPrototypeOf(merged.keys)).toBe(Object.prototype);
    expect((merged.keys as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
