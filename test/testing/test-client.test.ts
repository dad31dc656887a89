import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { flagsMiddleware } from '../../src/express/index';
import { FlagwireConfigError } from '../../src/server/index';
import { createTestClient } from '../../src/testing/index';
import { nextEvent } from '../support/flags-files';

/** flagwire/testing on the server and in Express: the Next helpers and React read it in their own tests beside. */
describe('createTestClient', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function start(values: Parameters<typeof createTestClient>[0]) {
    const flags = createTestClient(values);
    cleanups.push(() => flags.close());
    return flags;
  }

  it('serves the values it was given to every context, ready at once, read as a real client reads them', async () => {
    const flags = start({ 'new-editor': true, headline: 'bold', layout: { columns: 2 }, 'page-size': 25, 'no-gutter': null });
    expect(flags.status).toBe('ready');
    expect(await flags.checkFlag({ company: { domain: 'any.test' } }, 'new-editor')).toBe(true);
    expect(await flags.variation({ user: { key: 'v1' } }, 'headline', 'control')).toBe('bold');
    expect(await flags.variationDetail({}, 'headline', 'control')).toMatchObject({ value: 'bold', variation: 'bold', kind: 'fallthrough' });
    expect(await flags.variation({}, 'layout', { columns: 1 })).toEqual({ columns: 2 });
    expect(await flags.variation({}, 'page-size', 10)).toBe(25);
    expect(await flags.variation({}, 'no-gutter', 0)).toBe(0);
    expect((await flags.variationDetail({}, 'no-gutter', 0)).kind).toBe('wrong_type');
    // A flag the test did not set answers the caller's default, as an unknown flag does.
    expect(await flags.variation({}, 'missing', 'fallback')).toBe('fallback');
    // Every flag reaches browsers: a FlagProvider fed this snapshot renders the same values.
    expect((await flags.snapshot({})).toJSON()).toEqual({
      v: 2,
      flags: { 'new-editor': { value: true }, headline: { value: 'bold', variation: 'bold' }, layout: { value: { columns: 2 }, variation: 'value' }, 'page-size': { value: 25, variation: '25' }, 'no-gutter': { value: null, variation: 'value' } },
    });
  });

  it('set changes a value live: the change event names the key, and the next read sees it', async () => {
    const flags = start({ headline: 'bold', 'new-editor': false });
    const changed = nextEvent(flags, 'change');
    flags.set('headline', 'control');
    expect(await changed).toEqual({ type: 'flags', keys: ['headline'] });
    expect(flags.snapshotNow({})?.variation('headline', 'x')).toBe('control');
    flags.set('beta', true);
    expect(await flags.checkFlag({}, 'beta')).toBe(true);
    flags.remove('beta');
    expect(await flags.checkFlag({}, 'beta')).toBe(false);
  });

  it('refuses what no flag can serve, at once and typed', () => {
    expect(() => createTestClient({ broken: (() => 1) as never })).toThrow(FlagwireConfigError);
    const flags = start({});
    expect(() => flags.set('nan', Number.NaN as never)).toThrow(/a value is JSON data/);
  });

  it('behind flagsMiddleware: req.flags reads the test values, and a set is seen by the next request', async () => {
    const flags = start({ headline: 'bold' });
    const app = express();
    app.use(flagsMiddleware(flags, { context: () => ({}) }));
    app.get('/', (req, res) => res.json({ headline: req.flags.variation('headline', 'control') }));
    const server: Server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)), () => server.closeAllConnections());
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    expect(await (await fetch(url)).json()).toEqual({ headline: 'bold' });
    flags.set('headline', 'question');
    expect(await (await fetch(url)).json()).toEqual({ headline: 'question' });
  });
});
