import { afterEach, describe, expect, it } from 'vitest';
import { createFlagsClient, defineFlags, type FlagsClient, FlagsSnapshot } from '../../src/server/index';
import { dispatchBucket } from '../../src/evaluators/featbit/dispatch';
import { recordingLogger } from '../support/flags-files';

const flags = defineFlags({
  headline: {
    client: true,
    variations: ['control', 'bold', 'question'],
    default: 'control',
    rollout: { control: 34, bold: 33, question: 33 },
    rules: [{ when: 'company.plan = enterprise', value: 'bold' }],
  },
  layout: {
    client: true,
    variations: { narrow: { columns: 1 }, wide: { columns: 2, sidebar: true } },
    default: 'narrow',
    rules: [{ when: 'user.country in [DE, FR]', value: 'wide' }],
  },
  'export-limit': { variations: [10, 100], default: 10, rules: [{ when: 'company.plan = pro', value: '100' }] },
  'new-checkout': { client: true, default: false, rollout: { true: 10, false: 90 }, rules: [{ when: 'company.plan = pro' }] },
  maintenance: { enabled: false, variations: ['none', 'banner'], default: 'banner', off: 'none' },
  'plain-on': { default: true },
});

let client: FlagsClient;
afterEach(() => client?.close());

async function makeClient(): Promise<FlagsClient> {
  client = createFlagsClient({
    flags,
    logger: recordingLogger().logger,
  });
  await client.ready();
  return client;
}

describe('variation and variationDetail on the flags file', () => {
  it('serve a rule fixed variation of every type, typed by the flag', async () => {
    const c = await makeClient();
    expect(await c.variation({ user: { key: 'u' }, attributes: { user: { country: 'DE' } } }, 'layout', {})).toEqual({ columns: 2, sidebar: true });
    expect(await c.variation({ user: { key: 'u' }, attributes: { user: { country: 'US' } } }, 'layout', {})).toEqual({ columns: 1 });
    expect(await c.variation({}, 'export-limit', 0)).toBe(10);
  });

  it('bucket a rollout by the user key exactly as FeatBit dispatches flag key + user key', async () => {
    const c = await makeClient();
    const shares = [['control', 0.34], ['bold', 0.67], ['question', 1]] as const;
    for (let i = 0; i < 200; i++) {
      const key = `user-${i}`;
      const detail = await c.variationDetail({ user: { key } }, 'headline', 'control');
      const bucket = dispatchBucket(`headline${key}`);
      expect(detail.bucket).toBe(bucket);
      expect(detail.kind).toBe('fallthrough');
      expect(detail.variation).toBe(shares.find(([, end]) => bucket <= end)?.[0]);
      expect(detail.value).toBe(detail.variation);
    }
  });

  it('report the reason kind: rule match, fallthrough, off, wrong type, not found', async () => {
    const c = await makeClient();
    const wide = await c.variationDetail({ user: { key: 'u' }, attributes: { user: { country: 'FR' } } }, 'layout', {});
    expect(wide).toMatchObject({ kind: 'rule_match', variation: 'wide' });
    expect(wide.ruleId).not.toBeNull();
    expect(await c.variationDetail({ user: { key: 'u' } }, 'layout', {})).toMatchObject({ kind: 'fallthrough', variation: 'narrow', bucket: null });
    expect(await c.variationDetail({}, 'maintenance', 'x')).toMatchObject({ kind: 'off', value: 'none', variation: 'none' });
    expect(await c.variationDetail({}, 'export-limit', 'ten')).toMatchObject({ kind: 'wrong_type', value: 'ten', variation: null });
    expect(await c.variationDetail({}, 'nope', 'dflt')).toMatchObject({ kind: 'not_found', value: 'dflt' });
  });

  it('keep checkFlag boolean: a rollout flag is on for its share, a string flag is never on', async () => {
    const c = await makeClient();
    let on = 0;
    for (let i = 0; i < 1000; i++) {
      const context = { user: { key: `visitor-${i}` } };
      const value = await c.checkFlag(context, 'new-checkout');
      expect(value).toBe(dispatchBucket(`new-checkout${context.user.key}`) <= 0.1);
      if (value) on++;
    }
    expect(on).toBeGreaterThan(50);
    expect(on).toBeLessThan(150);
    expect(await c.checkFlag({ user: { key: 'u' } }, 'headline')).toBe(false);
    expect(await c.checkFlag({}, 'plain-on')).toBe(true);
  });

  it('allFlags gives every value for one context', async () => {
    const c = await makeClient();
    const all = await c.allFlags({ user: { key: 'user-1' }, attributes: { user: { country: 'DE' } } });
    expect(all.layout).toEqual({ columns: 2, sidebar: true });
    expect(all['export-limit']).toBe(10);
    expect(all.maintenance).toBe('none');
    expect(all['plain-on']).toBe(true);
    expect(Object.keys(all).sort()).toEqual(Object.keys(flags).sort());
  });
});

describe('snapshots with values', () => {
  it('read value, variation and isEnabled synchronously; isEnabled is true only for true', async () => {
    const c = await makeClient();
    const snapshot = await c.snapshot({ user: { key: 'u' }, attributes: { user: { country: 'DE' } } });
    expect(snapshot.value('layout')).toEqual({ columns: 2, sidebar: true });
    expect(snapshot.variation('export-limit', 0)).toBe(10);
    expect(snapshot.variation('export-limit', 'x')).toBe('x');
    expect(snapshot.isEnabled('layout')).toBe(false);
    expect(snapshot.isEnabled('plain-on')).toBe(true);
    expect(snapshot.value('nope')).toBe(false);
  });

  it('send version 2 to the browser: values, and variation names for flags that are not on/off', async () => {
    const c = await makeClient();
    const json = (await c.snapshot({ user: { key: 'u' }, attributes: { user: { country: 'DE' } } })).toJSON();
    expect(json.v).toBe(2);
    expect(json.flags.layout).toEqual({ value: { columns: 2, sidebar: true }, variation: 'wide' });
    expect(json.flags['new-checkout']).toEqual({ value: expect.any(Boolean) });
    expect(Object.keys(json.flags).sort()).toEqual(['headline', 'layout', 'new-checkout']);
    const back = FlagsSnapshot.fromJSON(JSON.parse(JSON.stringify(json)));
    expect(back.variationDetail('layout', {})).toMatchObject({ value: { columns: 2, sidebar: true }, variation: 'wide', kind: 'cached' });
    expect(back.toJSON()).toEqual(json);
  });

  it('still read a version 1 payload', () => {
    const v1 = { v: 1 as const, flags: { a: { value: true }, b: { value: false } } };
    expect(FlagsSnapshot.isJSON(v1)).toBe(true);
    const snapshot = FlagsSnapshot.fromJSON(v1);
    expect(snapshot.isEnabled('a')).toBe(true);
    expect(snapshot.variationDetail('b', true)).toMatchObject({ value: false, variation: 'false', kind: 'cached' });
    expect(FlagsSnapshot.isJSON({ v: 3, flags: {} })).toBe(false);
  });
});

describe('typed reads where flags cannot be evaluated', () => {
  it('serve the caller default (kind default) offline, and configured defaults of any type', async () => {
    client = createFlagsClient({ offline: true, flagDefaults: { headline: 'bold' }, logger: recordingLogger().logger });
    expect(await client.variationDetail({}, 'headline', 'control')).toMatchObject({ value: 'control', kind: 'default' });
    const snapshot = await client.snapshot({});
    expect(snapshot.value('headline')).toBe('bold');
    expect(snapshot.toJSON(['headline']).flags.headline).toEqual({ value: 'bold' });
  });

  it('refuse a flag default that is not a flag value', () => {
    expect(() => createFlagsClient({ offline: true, flagDefaults: { f: (() => 1) as never } })).toThrow(/flagDefaults\.f/);
  });
});

describe('segments declared in code', () => {
  it('are named by the flags option conditions (`in segment <name>`)', async () => {
    client = createFlagsClient({
      flags: defineFlags({ beta: { rules: [{ when: 'in segment testers' }] } }),
      segments: { testers: { when: ['user.country = DE', 'user.beta = true'] } },
      logger: recordingLogger().logger,
    });
    await client.ready();
    expect(await client.checkFlag({ user: { key: 'u' }, attributes: { user: { country: 'DE', beta: true } } }, 'beta')).toBe(true);
    expect(await client.checkFlag({ user: { key: 'u' }, attributes: { user: { country: 'DE', beta: false } } }, 'beta')).toBe(false);
  });
});
