import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FlagsClient, FlagsSnapshot, REASON_OVERRIDDEN } from '../../src/server/index';
import { overridesClient } from './fixtures';

/** Overrides in the core: a snapshot with some values chosen by hand, the definitions tools list, and explain. */
describe('snapshot.withOverrides', () => {
  let client: FlagsClient;
  beforeEach(async () => {
    client = await overridesClient();
  });
  afterEach(() => client.close());

  it('serves the chosen values with kind override, names their variations, and leaves the other flags as evaluated', async () => {
    const evaluated = await client.snapshot({ company: { domain: 'acme.test' } });
    expect(evaluated.value('headline')).toBe('Feature flags');
    const overridden = evaluated.withOverrides({ headline: 'What if?', 'new-dashboard': false });

    expect(overridden.value('headline')).toBe('What if?');
    expect(overridden.variationDetail('headline', 'x')).toEqual({
      flagKey: 'headline',
      value: 'What if?',
      variation: 'question',
      kind: 'override',
      reason: REASON_OVERRIDDEN,
      ruleId: null,
      bucket: null,
      err: null,
    });
    expect(overridden.isEnabled('new-dashboard')).toBe(false);
    expect(overridden.detail('new-dashboard')).toMatchObject({ value: false, reason: REASON_OVERRIDDEN, ruleId: null, companyId: 'acme' });
    expect(overridden.variationDetail('new-dashboard', true)).toMatchObject({ value: false, variation: 'false', kind: 'override' });
    // Untouched flags, and the snapshot it was made from, read as before.
    expect(evaluated.isEnabled('new-dashboard')).toBe(true);
    expect(overridden.variationDetail('layout', {})).toMatchObject({ value: { columns: 1 }, variation: 'narrow', kind: 'fallthrough' });
  });

  it('names a JSON value by its variation whatever the order of its members', async () => {
    const overridden = (await client.snapshot({})).withOverrides({ layout: { columns: 2 } });
    expect(overridden.variationDetail('layout', {})).toMatchObject({ value: { columns: 2 }, variation: 'wide', kind: 'override' });
    const unnamed = (await client.snapshot({})).withOverrides({ layout: { columns: 3 } });
    expect(unnamed.variationDetail('layout', {})).toMatchObject({ value: { columns: 3 }, variation: null, kind: 'override' });
  });

  it('writes the overridden values into the browser payload, and server-only flags stay out of it', async () => {
    const overridden = (await client.snapshot({ company: { domain: 'acme.test' } })).withOverrides({ headline: 'Ship it dark', 'internal-audit': true });
    const payload = overridden.toJSON();
    expect(payload.flags.headline).toEqual({ value: 'Ship it dark', variation: 'bold' });
    expect(payload.flags['internal-audit']).toBeUndefined();
    expect(overridden.isEnabled('internal-audit')).toBe(true);
    // The browser reads what the server rendered.
    expect(FlagsSnapshot.fromJSON(payload).value('headline')).toBe('Ship it dark');
  });

  it('overrides a payload read back from JSON, as the browser and edge do', () => {
    const fromPayload = FlagsSnapshot.fromJSON({ v: 2, flags: { headline: { value: 'Feature flags', variation: 'control' } } });
    const overridden = fromPayload.withOverrides({ headline: 'Ship it dark' });
    expect(overridden.variationDetail('headline', '')).toMatchObject({ value: 'Ship it dark', kind: 'override' });
    expect(overridden.toJSON().flags.headline).toEqual({ value: 'Ship it dark' });
  });

  it('takes only flag values: functions, undefined, non-finite numbers and non-objects are left out', async () => {
    const evaluated = await client.snapshot({});
    const hostile = { headline: () => 'x', layout: Number.NaN, 'new-dashboard': undefined, '': true } as unknown as Record<string, unknown>;
    expect(evaluated.withOverrides(hostile)).toBe(evaluated);
    expect(evaluated.withOverrides(null as never)).toBe(evaluated);
    expect(evaluated.withOverrides(['x'] as never)).toBe(evaluated);
    // A payload's snapshot knows no definitions: any key is taken, a prototype name as a plain key.
    const fromPayload = FlagsSnapshot.fromJSON({ v: 2, flags: {} }).withOverrides(JSON.parse('{"__proto__": true}'));
    expect(fromPayload.isEnabled('__proto__' as never)).toBe(true);
  });

  it("leaves out overrides of flags the client does not have, or of another type than the flag's values", async () => {
    const evaluated = await client.snapshot({});
    expect(evaluated.withOverrides({ 'no-such-flag': true, headline: 7, layout: 'wide', 'new-dashboard': 'yes' })).toBe(evaluated);
    const mixed = evaluated.withOverrides({ headline: 'Any text at all', 'no-such-flag': true });
    expect(mixed.keys()).not.toContain('no-such-flag');
    expect(mixed.variationDetail('headline', '')).toMatchObject({ value: 'Any text at all', variation: null, kind: 'override' });
  });
});

describe('client.flagDefinitions', () => {
  let client: FlagsClient;
  beforeEach(async () => {
    client = await overridesClient();
  });
  afterEach(() => client.close());

  it('lists each flag with its description, labelled values and browser visibility, and no rules', () => {
    const definitions = client.flagDefinitions();
    expect(definitions.map((definition) => definition.key).sort()).toEqual(['headline', 'internal-audit', 'layout', 'new-dashboard']);
    expect(definitions.find((definition) => definition.key === 'headline')).toEqual({
      key: 'headline',
      description: 'The home page headline experiment',
      variations: [
        { name: 'control', label: 'control', value: 'Feature flags' },
        { name: 'bold', label: 'bold', value: 'Ship it dark' },
        { name: 'question', label: 'question', value: 'What if?' },
      ],
      client: true,
    });
    expect(definitions.find((definition) => definition.key === 'internal-audit')).toEqual({
      key: 'internal-audit',
      description: null,
      variations: [
        { name: 'true', label: 'On', value: true },
        { name: 'false', label: 'Off', value: false },
      ],
      client: false,
    });
    expect(JSON.stringify(definitions)).not.toContain('enterprise');
  });
});

describe('client.explain with overrides', () => {
  let client: FlagsClient;
  beforeEach(async () => {
    client = await overridesClient();
  });
  afterEach(() => client.close());

  it('says an overridden flag is overridden, and still explains the rules that would apply without it', async () => {
    const context = { company: { domain: 'initech.test' } };
    const explained = await client.explain(context, 'headline', { overrides: { headline: 'What if?' } });
    expect(explained?.override).toEqual({ value: 'What if?', reason: REASON_OVERRIDDEN });
    expect(explained?.rules.length).toBeGreaterThan(0);
    expect(explained?.result.value).toBe(true);
    const plain = await client.explain(context, 'headline', { overrides: { layout: { columns: 2 } } });
    expect(plain?.override).toBeUndefined();
  });
});
