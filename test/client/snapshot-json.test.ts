import { afterEach, describe, expect, it } from 'vitest';
import { createFlagsClient, FlagsSnapshot, REASON_FLAG_NOT_FOUND, REASON_FROM_SNAPSHOT } from '../../src/server/index';
import { SAMPLE_FLAGS, tempFlagsFile } from '../support/flags-files';

describe('FlagsSnapshot.fromJSON: values evaluated elsewhere, read as a snapshot', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function evaluated() {
    const files = tempFlagsFile(SAMPLE_FLAGS);
    const client = createFlagsClient({ flagsFile: files.file });
    cleanups.push(() => client.close(), files.cleanup);
    await client.ready();
    return client.snapshot({ company: { domain: 'acme.test' }, user: { email: 'ada@acme.test' } });
  }

  it('reads the same values and entitlements as the snapshot it came from, and serialises back unchanged', async () => {
    const original = await evaluated();
    const json = JSON.parse(JSON.stringify(original));
    const copy = FlagsSnapshot.fromJSON(json);
    expect(copy.toJSON()).toEqual(original.toJSON());
    for (const key of ['advanced-reports', 'new-editor'] as const) {
      expect(copy.isEnabled(key)).toBe(original.isEnabled(key));
      expect(copy.entitlement(key)).toEqual(original.entitlement(key));
    }
    expect(copy.entitlement('advanced-reports')).toMatchObject({ allocation: 3, usage: 1, exceeded: false });
  });

  it('says where a value came from, and serves the default for flags the payload lacks', () => {
    const copy = FlagsSnapshot.fromJSON({ v: 1, flags: { banner: { value: true } } }, { defaultFor: (key) => key === 'dark-mode' });
    expect(copy.detail('banner')).toMatchObject({ value: true, reason: REASON_FROM_SNAPSHOT, ruleId: null });
    expect(copy.isEnabled('dark-mode')).toBe(true);
    expect(copy.isEnabled('missing')).toBe(false);
    expect(copy.detail('missing').reason).toBe(REASON_FLAG_NOT_FOUND);
    expect(copy.keys()).toEqual(['banner']);
    expect(copy.entitlement('banner')).toBeNull();
  });

  it('sends the browser only the client keys it was given', () => {
    const copy = FlagsSnapshot.fromJSON({ v: 1, flags: { banner: { value: true }, 'internal-tools': { value: true } } }, { clientKeys: ['banner'] });
    expect(copy.isEnabled('internal-tools')).toBe(true);
    expect(copy.toJSON()).toEqual({ v: 2, flags: { banner: { value: true } } });
  });

  it('does not read inherited properties as flags', () => {
    const copy = FlagsSnapshot.fromJSON({ v: 1, flags: {} });
    expect(copy.isEnabled('constructor')).toBe(false);
    expect(copy.isEnabled('__proto__')).toBe(false);
  });
});
