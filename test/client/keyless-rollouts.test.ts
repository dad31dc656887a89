import { afterEach, describe, expect, it } from 'vitest';
import { createFlagsClient, type EvaluationContext, type FlagsClient, REASON_TARGETING_KEY_MISSING } from '../../src/server/index';
import { dispatchBucket } from '../../src/featbit';
import { featBitFlag } from '../support/featbit-builders';
import { recordingLogger, tempFlagsFile } from '../support/flags-files';

const FLAGS = {
  headline: { variations: ['control', 'bold'], default: 'control', rollout: { control: 50, bold: 50 } },
  'new-checkout': { rollout: { true: 10, false: 90 } },
  'by-country': { variations: ['control', 'bold'], default: 'control', rollout: { control: 50, bold: 50 }, by: 'user.country' },
  'admins-by-company': {
    variations: ['control', 'bold'],
    default: 'control',
    rules: [{ when: 'user.role = admin', rollout: { control: 50, bold: 50 }, by: 'company.key' }],
  },
};

const KEYLESS: EvaluationContext[] = [{}, { company: { domain: 'acme.test' } }, { user: { key: '  ' } }, { attributes: { user: { country: 'DE' } } }];

let client: FlagsClient | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await client?.close();
  client = undefined;
  cleanups.splice(0).forEach((cleanup) => cleanup());
});

async function start(): Promise<FlagsClient> {
  client = createFlagsClient({ flags: FLAGS, logger: recordingLogger().logger });
  expect(await client.ready()).toBe('ready');
  return client;
}

describe('a rollout by key for a context with no key', () => {
  it.each(KEYLESS)('serves the caller default with kind error and says the rollout needs a key: %j', async (context) => {
    const flags = await start();
    const detail = await flags.variationDetail(context, 'headline', 'fallback');
    expect(detail).toMatchObject({ value: 'fallback', variation: null, kind: 'error', reason: REASON_TARGETING_KEY_MISSING, bucket: null });
    expect(detail.err).toBe('flag "headline" rolls out by user.key, and the context has no user key: it is not put in an arm');
    expect((await flags.snapshot(context)).variation('headline', 'fallback')).toBe('fallback');
  });

  it('buckets as before once the context has the key', async () => {
    const flags = await start();
    const detail = await flags.variationDetail({ user: { key: 'visitor-1' } }, 'headline', 'fallback');
    expect(detail).toMatchObject({ kind: 'fallthrough', bucket: dispatchBucket('headlinevisitor-1') });
  });

  it('answers checkFlag for an on/off rollout with the call’s default and the error', async () => {
    const flags = await start();
    expect(await flags.checkFlag({}, 'new-checkout', { defaultValue: true })).toBe(true);
    expect(await flags.checkFlagWithEntitlement({}, 'new-checkout')).toMatchObject({ value: false, reason: REASON_TARGETING_KEY_MISSING, ruleId: null, err: expect.stringContaining('user.key') });
  });

  it('needs the key of the entity it rolls out by: a rule by company.key, for a context with a user key only', async () => {
    const flags = await start();
    const admin = { user: { key: 'ada' }, attributes: { user: { role: 'admin' } } };
    expect(await flags.variationDetail(admin, 'admins-by-company', 'fallback')).toMatchObject({
      value: 'fallback',
      kind: 'error',
      err: 'flag "admins-by-company" rolls out by company.key, and the context has no company key: it is not put in an arm',
    });
    expect(await flags.variationDetail({ ...admin, company: { domain: 'acme.test' } }, 'admins-by-company', 'x')).toMatchObject({ kind: 'rule_match', bucket: dispatchBucket('admins-by-companyacme.test') });
  });

  it('keeps hashing "" for a rollout by a named attribute the context lacks, as FeatBit does', async () => {
    const flags = await start();
    expect(await flags.variationDetail({}, 'by-country', 'x')).toMatchObject({ kind: 'fallthrough', bucket: dispatchBucket('by-country') });
  });

  it('is the rule of FeatBit flags too: a context with no key gets the same kind and reason', async () => {
    const headline = featBitFlag({
      key: 'headline',
      variationType: 'string',
      variations: [
        { id: 'v-control', value: 'control' },
        { id: 'v-bold', value: 'bold' },
      ],
      fallthrough: { dispatchKey: null, includedInExpt: false, variations: [{ id: 'v-control', rollout: [0, 0.5], exptRollout: 1 }, { id: 'v-bold', rollout: [0.5, 1], exptRollout: 1 }] },
    });
    const files = tempFlagsFile({ messageType: 'data-sync', data: { eventType: 'full', featureFlags: [headline], segments: [] } });
    cleanups.push(files.cleanup);
    client = createFlagsClient({ flagsFile: files.file, watch: false, logger: recordingLogger().logger });
    await client.ready();
    expect(await client.variationDetail({}, 'headline', 'fallback')).toMatchObject({ value: 'fallback', kind: 'error', reason: REASON_TARGETING_KEY_MISSING });
  });
});
