import { afterEach, describe, expect, it } from 'vitest';
import { createFlagsClient, type Exposure, type FlagsClient } from '../../src/server/index';
import { recordingLogger } from '../support/flags-files';

const FLAGS = {
  headline: { client: true, variations: ['control', 'bold', 'question'], default: 'control', rules: [{ when: 'user.country = DE', value: 'bold' }] },
  'new-editor': { client: true, rules: [{ when: 'user.role = admin' }] },
  'internal-tools': { rules: [{ when: 'user.role = admin' }] },
};

const clients: FlagsClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
});

async function counting(onExposures: (exposures: readonly Exposure[]) => void | Promise<void> = () => {}) {
  const received: Exposure[] = [];
  const log = recordingLogger();
  const client = createFlagsClient({
    flags: FLAGS,
    logger: log.logger,
    onExposures: async (exposures) => {
      received.push(...exposures);
      await onExposures(exposures);
    },
  });
  clients.push(client);
  await client.ready();
  return { client, received, log };
}

const admin = { user: { id: 'ada' }, attributes: { user: { role: 'admin', country: 'DE' } } };

describe('exposures on the server', () => {
  it('counts each flag a request reads once, with the value it served, who saw it and the page view, when flushed', async () => {
    const { client, received } = await counting();
    const pageView = client.exposuresOf(await client.snapshot(admin), admin);
    if (pageView === null) throw new Error('exposures should be counted');
    const flags = pageView.snapshot;
    expect(flags.variation('headline', 'control')).toBe('bold');
    expect(flags.value('headline')).toBe('bold');
    expect(flags.isEnabled('new-editor')).toBe(true);
    expect(flags.isEnabled('new-editor')).toBe(true);
    expect(flags.detail('new-editor').value).toBe(true);
    // Sending values to the browser and listing them are not reads of a flag.
    const payload = flags.toJSON(['headline', 'new-editor']);
    flags.all();
    expect(received).toEqual([]);
    expect(await pageView.flush()).toBe(2);
    expect(received).toHaveLength(2);
    expect(received[0]).toMatchObject({ flag: 'headline', value: 'bold', variation: 'bold', user: { id: 'ada' }, company: null, source: 'server' });
    expect(received[1]).toMatchObject({ flag: 'new-editor', value: true, variation: null, source: 'server' });
    expect(received[0]?.pageView).toBe(payload.pv);
    expect(new Date(received[0]?.at ?? '').getTime()).toBeGreaterThan(0);
    // Later reads of flags already counted count nothing; a new flag counts.
    flags.isEnabled('new-editor');
    flags.isEnabled('internal-tools');
    expect(await pageView.flush()).toBe(1);
    expect(received.map((exposure) => exposure.flag)).toEqual(['headline', 'new-editor', 'internal-tools']);
  });

  it('gives a plain snapshot and counts nothing when no onExposures is given', async () => {
    const client = createFlagsClient({ flags: FLAGS });
    clients.push(client);
    await client.ready();
    expect(client.countsExposures).toBe(false);
    expect(client.exposuresOf(await client.snapshot(admin), admin)).toBeNull();
    expect(await client.reportBrowserExposures({ pageView: 'page-view-1', exposures: [] }, admin)).toMatchObject({ problem: expect.stringContaining('onExposures') });
    expect((await client.snapshot(admin)).toJSON()).not.toHaveProperty('pv');
  });

  it('keeps the page view when overrides are applied to a watched snapshot', async () => {
    const { client, received } = await counting();
    const pageView = client.exposuresOf(await client.snapshot(admin), admin);
    const overridden = pageView?.snapshot.withOverrides({ headline: 'question' });
    expect(overridden?.variation('headline', 'control')).toBe('question');
    expect(overridden?.toJSON(['headline']).pv).toBe(pageView?.snapshot.pageView);
    await pageView?.flush();
    expect(received).toMatchObject([{ flag: 'headline', value: 'question', variation: 'question' }]);
  });

  it('counts nothing for tools that list flags through withoutExposures()', async () => {
    const { client, received } = await counting();
    const pageView = client.exposuresOf(await client.snapshot(admin), admin);
    const listed = pageView?.snapshot.withoutExposures();
    expect(listed?.variation('headline', 'control')).toBe('bold');
    expect(listed?.isEnabled('new-editor')).toBe(true);
    expect(await pageView?.flush()).toBe(0);
    expect(received).toEqual([]);
  });

  it('logs an onExposures that fails, and never throws to the request', async () => {
    const { client, log } = await counting(() => {
      throw new Error('warehouse down');
    });
    const pageView = client.exposuresOf(await client.snapshot(admin), admin);
    pageView?.snapshot.isEnabled('new-editor');
    await expect(pageView?.flush()).resolves.toBe(1);
    expect(log.lines.some((line) => line.level === 'error' && line.message.includes('onExposures failed'))).toBe(true);
  });

  it('waits in close() for exposures being handed over', async () => {
    let release: () => void = () => {};
    const { client, received } = await counting(() => new Promise<void>((resolve) => (release = resolve)));
    const pageView = client.exposuresOf(await client.snapshot(admin), admin);
    pageView?.snapshot.isEnabled('new-editor');
    let delivered = false;
    void pageView?.flush().then(() => (delivered = true));
    const closed = client.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(delivered).toBe(false);
    release();
    await closed;
    expect(delivered).toBe(true);
    expect(received).toHaveLength(1);
  });
});

describe('exposures from the browser', () => {
  it('counts a page view’s flag and value once, whether the server or the browser reported it first', async () => {
    const { client, received } = await counting();
    const pageView = client.exposuresOf(await client.snapshot(admin), admin);
    pageView?.snapshot.variation('headline', 'control');
    await pageView?.flush();
    const pv = pageView?.snapshot.pageView;
    const report = { pageView: pv, exposures: [{ flag: 'headline', value: 'bold', variation: 'bold' }, { flag: 'new-editor', value: true }] };
    // The server counted headline for this page view; the browser adds new-editor only.
    expect(await client.reportBrowserExposures(report, admin)).toEqual({ counted: 1 });
    // A refetch, a second render, a repeated report: nothing new.
    expect(await client.reportBrowserExposures(report, admin)).toEqual({ counted: 0 });
    // A live update that serves another variation is a new exposure.
    expect(await client.reportBrowserExposures({ pageView: pv, exposures: [{ flag: 'headline', value: 'question', variation: 'question' }] }, admin)).toEqual({ counted: 1 });
    expect(received.map(({ flag, variation, source }) => [flag, variation, source])).toEqual([
      ['headline', 'bold', 'server'],
      ['new-editor', null, 'browser'],
      ['headline', 'question', 'browser'],
    ]);
    // Who saw it is the request's context, not anything the body says.
    expect(received[1]?.user).toEqual({ id: 'ada' });
  });

  it('refuses a report naming a flag the browser is not sent, a value the flag cannot serve, or too many', async () => {
    const { client, received } = await counting();
    const report = (exposures: unknown[], pageView: unknown = 'a-page-view-id') => client.reportBrowserExposures({ pageView, exposures }, admin);
    expect(await report([{ flag: 'internal-tools', value: true }])).toMatchObject({ problem: expect.stringContaining('not one this app sends') });
    expect(await report([{ flag: 'nope', value: true }])).toMatchObject({ problem: expect.stringContaining('not one this app sends') });
    expect(await report([{ flag: 'headline', value: 'shout', variation: 'shout' }])).toMatchObject({ problem: expect.stringContaining('no such variation') });
    expect(await report([{ flag: 'new-editor', value: 'yes' }])).toMatchObject({ problem: expect.stringContaining('no such value') });
    expect(await report([{ flag: 'new-editor', value: true }], 'x')).toMatchObject({ problem: expect.stringContaining('pageView') });
    expect(await report(Array.from({ length: 101 }, () => ({ flag: 'new-editor', value: true })))).toMatchObject({ problem: expect.stringContaining('at most 100') });
    expect(await client.reportBrowserExposures('not a report', admin)).toMatchObject({ problem: expect.any(String) });
    // A report with one bad item counts none of it.
    expect(await report([{ flag: 'new-editor', value: true }, { flag: 'nope', value: true }])).toMatchObject({ problem: expect.any(String) });
    expect(received).toEqual([]);
    // The variation is the flag's own: named by value, it is found.
    expect(await report([{ flag: 'headline', value: 'question' }])).toEqual({ counted: 1 });
    expect(received[0]).toMatchObject({ flag: 'headline', value: 'question', variation: 'question', source: 'browser' });
  });
});
