import { afterEach, describe, expect, it } from 'vitest';
import { createFlagsClient, type FlagsClient, type FlagsClientOptions } from '../../src/server/index';
import { featBitFlag } from '../support/featbit-builders';
import { FeatBitEventsServer } from '../support/featbit-events-server';
import { FeatBitTestServer } from '../support/featbit-server';
import { recordingLogger } from '../support/flags-files';
import { SchematicTestServer } from '../support/schematic-server';

/**
 * maxQueuedEventBytes through createFlagsClient, for both services the client sends events to: with the events
 * endpoint answering 503, events past the byte budget are dropped oldest first, that is logged naming the
 * option, and close() says what it could not deliver and the total lost since the start.
 */
describe('maxQueuedEventBytes', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function refusingBackend(service: 'Schematic' | 'FeatBit'): Promise<FlagsClientOptions> {
    if (service === 'Schematic') {
      const server = await new SchematicTestServer().start();
      server.inject({ kind: 'status', status: 503 }, { path: /^\/batch$/ });
      cleanup.push(() => server.stop());
      return { apiKey: 'sch_test_key', basePath: server.url, eventCaptureBaseURL: server.url };
    }
    const sync = await new FeatBitTestServer().start();
    sync.setAll({ flags: [featBitFlag({ key: 'f', variationType: 'boolean' })] });
    const events = await new FeatBitEventsServer().start();
    events.inject({ kind: 'status', status: 503 });
    cleanup.push(() => sync.stop(), () => events.stop());
    return { featbit: { envSecret: sync.secret, streamingUri: sync.url, eventsUri: events.url } };
  }

  for (const service of ['Schematic', 'FeatBit'] as const) {
    it(`bounds the bytes of ${service} events held while the endpoint refuses them, and reports every loss`, async () => {
      const log = recordingLogger();
      const client: FlagsClient = createFlagsClient({ ...(await refusingBackend(service)), maxQueuedEventBytes: 2_000, closeTimeoutMs: 0, eventBufferInterval: 10, logger: log.logger });
      cleanup.push(() => client.close());
      expect(await client.ready()).toBe('ready');
      for (let i = 0; i < 200; i++) {
        const user = { key: `user-${String(i).padStart(40, '0')}` };
        if (service === 'Schematic') await client.track({ event: 'exports', user, company: { domain: 'acme.test' } });
        else await client.variation({ user }, 'f', false);
      }
      await client.close();

      const full = log.lines.filter((l) => l.level === 'warn' && l.message.startsWith('event queue is full'));
      expect(full).toEqual([{ level: 'warn', message: expect.stringMatching(/^event queue is full \(2000 bytes\): dropped the 1 oldest; raise maxQueuedEventBytes/) }]);
      const closing = log.lines.at(-1)?.message ?? '';
      const [, undelivered, lost, dropped] = /^(\d+) events could not be delivered to \w+ before close; they are lost \((\d+) lost since start: (\d+) dropped from a full queue, \d+ undelivered at close\)$/.exec(closing) ?? [];
      expect(closing).toContain(`delivered to ${service} before close`);
      expect(Number(lost)).toBe(200);
      expect(Number(dropped) + Number(undelivered)).toBe(200);
      // Each event here is over 100 bytes. The queue holds 2,000 bytes of them, and each of the (at most 4)
      // senders one batch it took from the queue: at most 10,000 bytes in all, so at most 100 events.
      expect(Number(undelivered)).toBeLessThanOrEqual(100);
    });
  }
});
