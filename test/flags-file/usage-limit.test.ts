import { afterEach, describe, expect, it } from 'vitest';
import { createFlagsClient } from '../../src/server/index';
import { recordingLogger, SAMPLE_FLAGS, tempFlagsFile } from '../support/flags-files';

const acme = { company: { domain: 'acme.test' } };

/** SAMPLE_FLAGS's "advanced-reports": a Pro entitlement of fewer than 3 exports a month; Acme is on Pro. */
function withAcmeUsage(exports: number) {
  const [acmeCompany, ...others] = SAMPLE_FLAGS.companies;
  return { ...SAMPLE_FLAGS, companies: [{ ...acmeCompany, usage: { exports } }, ...others] };
}

describe('an entitlement with a usage limit in the flags file', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function clientWith(content: unknown) {
    const files = tempFlagsFile(content);
    const client = createFlagsClient({ flagsFile: files.file, watch: false, logger: recordingLogger().logger, now: () => Date.UTC(2026, 10, 23) });
    cleanups.push(() => client.close(), files.cleanup);
    expect(await client.ready()).toBe('ready');
    return client;
  }

  it('at the limit: off, and the entitlement says it is exceeded, with usage and allocation', async () => {
    const client = await clientWith(withAcmeUsage(3));
    const detail = await client.checkFlagWithEntitlement(acme, 'advanced-reports');
    expect(detail).toMatchObject({
      value: false,
      reason: expect.stringMatching(/^Matched plan entitlement usage exceeded rule "Pro plan"/),
      ruleType: 'plan_entitlement_usage_exceeded',
      featureUsage: 3,
      featureAllocation: 3,
      featureUsageEvent: 'exports',
      featureUsagePeriod: 'current_month',
    });
    const snapshot = await client.snapshot(acme);
    expect(snapshot.isEnabled('advanced-reports')).toBe(false);
    expect(snapshot.entitlement('advanced-reports')).toMatchObject({ usage: 3, allocation: 3, exceeded: true, event: 'exports' });
    expect(JSON.parse(JSON.stringify(snapshot)).flags['advanced-reports']).toMatchObject({ value: false, entitlement: { exceeded: true } });
  });

  it('under the limit: on, as before', async () => {
    const client = await clientWith(withAcmeUsage(1));
    const detail = await client.checkFlagWithEntitlement(acme, 'advanced-reports');
    expect(detail).toMatchObject({ value: true, ruleType: 'plan_entitlement', reason: expect.stringContaining('"Pro plan"'), featureUsage: 1, featureAllocation: 3 });
    expect((await client.snapshot(acme)).entitlement('advanced-reports')).toMatchObject({ usage: 1, allocation: 3, exceeded: false });
  });

  it('"<=" limits are exceeded past the limit, not at it; companies not on the plan are unaffected', async () => {
    const flags = {
      flags: { reports: { rules: [{ name: 'Pro', type: 'entitlement', when: ['company.plan = pro', 'company.usage.exports <= 3'] }] } },
      companies: [
        { keys: { domain: 'at.test' }, plan: 'pro', usage: { exports: 3 } },
        { keys: { domain: 'over.test' }, plan: 'pro', usage: { exports: 4 } },
        { keys: { domain: 'free.test' }, plan: 'free', usage: { exports: 9 } },
      ],
    };
    const client = await clientWith(flags);
    const at = (domain: string) => client.checkFlagWithEntitlement({ company: { domain } }, 'reports');
    expect(await at('at.test')).toMatchObject({ value: true, ruleType: 'plan_entitlement' });
    expect(await at('over.test')).toMatchObject({ value: false, ruleType: 'plan_entitlement_usage_exceeded', featureUsage: 4, featureAllocation: 3 });
    expect(await at('free.test')).toMatchObject({ value: false, ruleType: null });
    expect((await client.snapshot({ company: { domain: 'free.test' } })).entitlement('reports')).toBeNull();
  });

  it('an override with a limit gets its own exceeded rule', async () => {
    const flags = {
      flags: { reports: { rules: [{ name: 'Acme deal', type: 'override', when: ['company.id = acme', 'company.usage.exports < 10'] }] } },
      companies: [{ id: 'acme', keys: { domain: 'acme.test' }, usage: { exports: 12 } }],
    };
    const client = await clientWith(flags);
    expect(await client.checkFlagWithEntitlement(acme, 'reports')).toMatchObject({
      value: false,
      ruleType: 'company_override_usage_exceeded',
      reason: expect.stringContaining('"Acme deal"'),
      featureUsage: 12,
      featureAllocation: 10,
    });
    expect((await client.snapshot(acme)).entitlement('reports')).toMatchObject({ exceeded: true });
  });
});
