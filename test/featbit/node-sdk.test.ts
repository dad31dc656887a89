import { once } from 'node:events';
import { FbClientBuilder, type IFbClient, UserBuilder } from '@featbit/node-server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { featBitFlag } from '../support/featbit-builders';
import { FeatBitTestServer } from '../support/featbit-server';

/** FeatBit's own Node SDK against the test server: the stand-in must speak FeatBit's protocol, not just flagwire's reading of it. */
let server: FeatBitTestServer;
let client: IFbClient | null = null;
afterEach(async () => {
  await client?.close();
  client = null;
  await server.stop();
});

const fallthroughTo = (variation: 'on' | 'off') => ({ dispatchKey: null, includedInExpt: false, variations: [{ id: variation, rollout: [0, 1] as [number, number], exptRollout: 0 }] });

describe("FeatBit's Node SDK on the test server", () => {
  it('becomes ready, evaluates a flag, takes a pushed patch, reports the evaluation and closes with 4003', async () => {
    server = await new FeatBitTestServer().start();
    server.setAll({ flags: [featBitFlag({ key: 'checkout-v2', updatedAt: '2025-01-01T00:00:00.000Z', fallthrough: fallthroughTo('off') })] });
    client = new FbClientBuilder().sdkKey(server.secret).streamingUri(server.url).eventsUri(server.url).logLevel('none').build();
    await client.waitForInitialization();
    expect(server.dataSyncTimestamps).toEqual([0]);
    const user = new UserBuilder('alice').name('Alice').build();
    expect(await client.boolVariation('checkout-v2', user, true)).toBe(false);

    const updated = once(client, 'update');
    server.push({ flags: [featBitFlag({ key: 'checkout-v2', updatedAt: '2025-01-02T00:00:00.000Z', fallthrough: fallthroughTo('on') })] });
    expect(await updated).toEqual([['checkout-v2']]);
    const detail = await client.boolVariationDetail('checkout-v2', user, false);
    expect(detail).toMatchObject({ value: true, kind: 'FallThrough' });

    const closed = once(server, 'close');
    const reported = once(server, 'insight');
    await client.close();
    client = null;
    expect(await closed).toEqual([4003]);
    const [batch] = (await reported) as [{ user: { keyId: string }; variations: { featureFlagKey: string }[] }[]];
    expect(batch.map((item) => [item.user.keyId, item.variations[0]?.featureFlagKey])).toEqual([
      ['alice', 'checkout-v2'],
      ['alice', 'checkout-v2'],
    ]);
  });

  it('is refused with 4003 when its secret is not the server\'s, and does not become ready', async () => {
    server = await new FeatBitTestServer().start();
    const rejected = once(server, 'rejected');
    client = new FbClientBuilder().sdkKey('some-other-secret').streamingUri(server.url).eventsUri(server.url).startWaitTime(200).logLevel('none').build();
    await rejected;
    await expect(client.waitForInitialization()).rejects.toThrow(/failed to start/);
    expect(server.counts).toMatchObject({ upgrades: 1, rejected: 1, connections: 0 });
  });
});
