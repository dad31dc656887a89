import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFlagsClient, type FlagsClientOptions, FlagwireConfigError } from '../../src/server/index';
import { company, condition, flag, metric, rule } from '../support/builders';
import { recordingLogger, tempFlagsFile } from '../support/flags-files';
import { type SchematicApi, startSchematicApi, startSchematicServers } from '../support/schematic-clients';
import type { SchematicTestServer } from '../support/schematic-server';

const ctx = { company: { domain: 'acme.test' } };

/** `preflight` on the evaluation context, `environmentId` and `headers`: as Schematic's SDK takes them. */
describe('preflight on the context, environment id and extra headers (API mode)', () => {
  let schematic: SchematicApi;
  let server: SchematicTestServer;

  beforeEach(async () => {
    schematic = await startSchematicApi();
    server = schematic.api;
    server.flags = { exports: { value: true } };
  });
  afterEach(() => schematic.stop());

  const client = (options: FlagsClientOptions = {}) => schematic.apiClient(options);

  it('sends preflight given on the context as the check body’s preflight, and never caches it', async () => {
    const flags = client();
    const preflight = { usage: 1.2, eventUsage: { eventSubtype: 'exports', quantity: 2 }, creditCost: { credit_1: 3 } };
    await flags.checkFlag({ ...ctx, preflight }, 'exports');
    await flags.checkFlag({ ...ctx, preflight }, 'exports');
    const checks = server.requestsTo('/flags/exports/check');
    expect(checks).toHaveLength(2);
    expect(checks[0]?.body).toEqual({ ...ctx, preflight: { usage: 2, event_usage: { event_subtype: 'exports', quantity: 2 }, credit_cost: { credit_1: 3 } } });
  });

  it('lets the options’ usage pair and credit cost win over the context’s, as Schematic’s SDK merges them', async () => {
    const flags = client();
    await flags.checkFlag({ ...ctx, preflight: { usage: 5, creditCost: { credit_1: 3 } } }, 'exports', { eventUsage: { eventSubtype: 'exports', quantity: 1 } });
    await flags.checkFlag({ ...ctx, preflight: { usage: 5, creditCost: { credit_1: 3 } } }, 'exports', { creditCost: { credit_1: 9 } });
    const [first, second] = server.requestsTo('/flags/exports/check');
    expect(first?.body).toEqual({ ...ctx, preflight: { event_usage: { event_subtype: 'exports', quantity: 1 }, credit_cost: { credit_1: 3 } } });
    expect(second?.body).toEqual({ ...ctx, preflight: { usage: 5, credit_cost: { credit_1: 9 } } });
  });

  it('sends X-Schematic-Environment-Id and the extra headers on every API and event request; its own headers win', async () => {
    const flags = client({ environmentId: 'env_123', headers: { 'X-Team': 'growth', 'x-schematic-api-key': 'forged' }, eventBufferInterval: 60_000 });
    await flags.checkFlag(ctx, 'exports');
    await flags.snapshot({ company: { domain: 'globex.test' } });
    await flags.companies.upsertCompany({ keys: { domain: 'acme.test' } });
    await flags.track({ event: 'exports', company: { domain: 'acme.test' } });
    await flags.close();
    expect(server.requests.map((r) => r.path)).toEqual(['/flags/exports/check', '/flags/check', '/companies', '/batch']);
    for (const request of server.requests) {
      expect(request.headers['x-schematic-environment-id']).toBe('env_123');
      expect(request.headers['x-team']).toBe('growth');
      expect(request.headers['x-schematic-api-key']).toBe('sch_test_key');
    }
  });

  it('validates environmentId and headers at creation', () => {
    expect(() => createFlagsClient({ apiKey: 'sch_test_key', environmentId: 42 as never })).toThrow(FlagwireConfigError);
    expect(() => createFlagsClient({ apiKey: 'sch_test_key', headers: { 'X-Team': 1 as never } })).toThrow(/headers\.X-Team/);
    expect(() => createFlagsClient({ apiKey: 'sch_test_key', headers: { 'X-Team': 'a\r\nX-Evil: 1' } })).toThrow(/line breaks/);
  });
});

describe('preflight on the context (local mode)', () => {
  it('counts the context’s preflight usage in the engine, as it counts the options’', async () => {
    const files = tempFlagsFile({
      flags: { 'bulk-export': { rules: [{ type: 'entitlement', when: ['company.plan = pro', 'company.usage.exports per month < 3'] }] } },
      companies: [{ keys: { domain: 'acme.test' }, plan: 'pro', usage: { exports: 1 } }],
    });
    const client = createFlagsClient({ flagsFile: files.file, watch: false, logger: recordingLogger().logger });
    try {
      const usage = (quantity: number) => ({ ...ctx, preflight: { eventUsage: { eventSubtype: 'exports', quantity } } });
      expect(await client.checkFlag(usage(1), 'bulk-export')).toBe(true);
      expect(await client.checkFlag(usage(2), 'bulk-export')).toBe(false);
      expect((await client.explain(usage(2), 'bulk-export'))?.result.value).toBe(false);
    } finally {
      await client.close();
      files.cleanup();
    }
  });
});

describe('preflight on the context (DataStream mode)', () => {
  it('counts the context’s preflight usage in the in-process evaluation', async () => {
    const servers = await startSchematicServers();
    const { api, stream } = servers;
    const underLimit = condition({ condition_type: 'metric', operator: 'lt', event_subtype: 'exports', metric_value: 3 });
    stream.flags = [flag([rule({ id: 'r_lim', rule_type: 'plan_entitlement', conditions: [underLimit] })], { id: 'flag_lim', key: 'exports' })] as never;
    stream.companies = [company({ id: 'comp_acme', keys: { domain: 'acme.test' }, metrics: [metric('exports', 1)] })] as never;
    const client = servers.dataStreamClient({ eventBufferInterval: 60_000 });
    try {
      await client.ready();
      const usage = (quantity: number) => ({ ...ctx, preflight: { eventUsage: { eventSubtype: 'exports', quantity } } });
      expect(await client.checkFlag(usage(1), 'exports')).toBe(true);
      expect(await client.checkFlag(usage(2), 'exports')).toBe(false);
      expect(api.requestsTo('/flags/exports/check')).toHaveLength(0);
    } finally {
      await servers.stop();
    }
  });
});
