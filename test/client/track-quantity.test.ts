import { afterEach, describe, expect, it } from 'vitest';
import { createFlagsClient, type FlagsClient, type FlagsClientOptions, InvalidEntityError } from '../../src/server/index';
import { FeatBitTestServer } from '../support/featbit-server';
import { SchematicTestServer } from '../support/schematic-server';

/** A logger that keeps every argument, so a test can see the error a log line carries. */
function fullLogger() {
  const lines: { level: string; message: string; detail: unknown }[] = [];
  const record = (level: string) => (message: string, detail?: unknown) => void lines.push({ level, message, detail });
  return { lines, logger: { error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug') } };
}

const BAD_QUANTITIES: [string, unknown, RegExp][] = [
  ['NaN', Number.NaN, /got NaN$/],
  ['Infinity', Number.POSITIVE_INFINITY, /got Infinity$/],
  ["the string '1e400'", '1e400', /got "1e400"$/],
];

/**
 * track() with a quantity that is not a finite number: refused the same way in every mode, on the caller's
 * path — logged as "track was not applied" with an InvalidEntityError, never thrown into the app, never sent.
 * API mode used to send NaN as `null` and '1e400' as a string; FeatBit mode refused it only in its event queue.
 */
describe('track() refuses a quantity that is not a finite number, in every mode', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  /** The options of a client in `mode`, and what reached its service (nothing for local and offline). */
  async function backend(mode: 'local' | 'offline' | 'api' | 'featbit'): Promise<{ options: FlagsClientOptions; sent: () => unknown[] }> {
    if (mode === 'api') {
      const server = await new SchematicTestServer().start();
      cleanup.push(() => server.stop());
      return { options: { apiKey: 'sch_test_key', basePath: server.url, eventCaptureBaseURL: server.url, eventBufferInterval: 10 }, sent: () => server.events };
    }
    if (mode === 'featbit') {
      const server = await new FeatBitTestServer().start();
      cleanup.push(() => server.stop());
      return { options: { featbit: { envSecret: server.secret, streamingUri: server.url, eventsUri: server.url } }, sent: () => server.insights.flat() };
    }
    return { options: mode === 'offline' ? { offline: true } : { flags: {} }, sent: () => [] };
  }

  async function start(mode: 'local' | 'offline' | 'api' | 'featbit') {
    const log = fullLogger();
    const { options, sent } = await backend(mode);
    const client: FlagsClient = createFlagsClient({ ...options, logger: log.logger });
    cleanup.push(() => client.close());
    await client.ready();
    return { client, log, sent };
  }

  for (const mode of ['local', 'offline', 'api', 'featbit'] as const) {
    it(`${mode} mode`, async () => {
      const { client, log, sent } = await start(mode);
      for (const [, quantity] of BAD_QUANTITIES) {
        await expect(client.track({ event: 'exports', company: { domain: 'acme.test' }, user: { key: 'ada' }, quantity: quantity as number })).resolves.toBeUndefined();
      }
      await client.track({ event: 'exports', company: { domain: 'acme.test' }, user: { key: 'ada' }, quantity: 2 });
      await client.close();

      const refused = log.lines.filter((line) => line.level === 'error');
      expect(refused.map((line) => line.message)).toEqual(BAD_QUANTITIES.map(() => 'track was not applied'));
      refused.forEach((line, i) => {
        expect(line.detail).toBeInstanceOf(InvalidEntityError);
        expect(line.detail).toMatchObject({ path: 'quantity' });
        expect((line.detail as Error).message).toMatch(BAD_QUANTITIES[i]?.[2] ?? /never/);
      });
      if (mode === 'api') expect(sent()).toEqual([expect.objectContaining({ type: 'track', body: expect.objectContaining({ quantity: 2 }) })]);
      if (mode === 'featbit') expect(sent()).toEqual([expect.objectContaining({ metrics: [expect.objectContaining({ numericValue: 2 })] })]);
    });
  }
});
