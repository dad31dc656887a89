import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, type FlagsClientOptions, LocalCache, REASON_FLAG_NOT_FOUND } from '../../src/server/index';
import { type SchematicApi, startSchematicApi } from '../support/schematic-clients';
import type { SchematicTestServer } from '../support/schematic-server';

/** API mode against the loopback stand-in for Schematic: exact wire shapes, caching, events, upserts. */
describe('Schematic API mode', () => {
  let schematic: SchematicApi;
  let server: SchematicTestServer;

  beforeEach(async () => {
    schematic = await startSchematicApi();
    server = schematic.api;
    server.flags = { 'new-editor': { value: true }, reports: { value: false }, 'dark mode/v2': { value: true } };
  });
  afterEach(() => schematic.stop());

  const client = (options: FlagsClientOptions = {}) => schematic.apiClient(options);

  const ctx = { company: { domain: 'acme.test' }, user: { email: 'ada@acme.test' } };

  it('checks a flag with POST /flags/{key}/check, the key in the header and the context as the body', async () => {
    const flags = client();
    expect(flags.mode).toBe('api');
    expect(await flags.checkFlagWithEntitlement(ctx, 'new-editor')).toMatchObject({
      value: true,
      reason: 'Matched standard rule "test" (rule_1)',
      flagKey: 'new-editor',
      flagId: 'flag_new-editor',
      ruleType: 'standard',
      companyId: 'comp_1',
      userId: 'user_1',
    });
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/flags/new-editor/check', body: { company: { domain: 'acme.test' }, user: { email: 'ada@acme.test' } } });
    expect(request?.headers['x-schematic-api-key']).toBe('sch_test_key');
    expect(request?.headers['content-type']).toBe('application/json');
  });

  it('encodes the flag key in the path and sends preflight usage in whole units', async () => {
    const flags = client();
    await flags.checkFlag(ctx, 'dark mode/v2', { usage: 1.2, eventUsage: { eventSubtype: 'exports', quantity: 2 } });
    expect(server.requests[0]).toMatchObject({
      path: '/flags/dark%20mode%2Fv2/check',
      body: { ...ctx, preflight: { usage: 2, event_usage: { event_subtype: 'exports', quantity: 2 } } },
    });
  });

  it('takes one POST /flags/check per snapshot, however many flags are read', async () => {
    const flags = client();
    const snapshot = await flags.snapshot(ctx);
    expect([snapshot.isEnabled('new-editor'), snapshot.isEnabled('reports'), snapshot.isEnabled('dark mode/v2')]).toEqual([true, false, true]);
    expect(snapshot.detail('missing')).toMatchObject({ value: false, reason: REASON_FLAG_NOT_FOUND });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /flags/check']);
    expect(server.requests[0]?.body).toEqual(ctx);
  });

  it('checkFlags asks once, and reports flags the API does not know', async () => {
    const flags = client();
    const results = await flags.checkFlags(ctx, ['reports', 'nope']);
    expect(results.map((r) => [r.flagKey, r.value, r.reason])).toEqual([
      ['reports', false, 'No rules matched; default value for flag'],
      ['nope', false, REASON_FLAG_NOT_FOUND],
    ]);
    expect(server.requestsTo('/flags/check')).toHaveLength(1);
  });

  it('serves repeated checks from the cache, per context and flag; preflight checks always ask', async () => {
    const flags = client();
    await flags.checkFlag(ctx, 'new-editor');
    await flags.checkFlag(ctx, 'new-editor');
    await flags.checkFlag({ company: { domain: 'globex.test' } }, 'new-editor');
    await flags.checkFlag(ctx, 'new-editor', { usage: 1 });
    await flags.checkFlag(ctx, 'new-editor', { usage: 1 });
    expect(server.requests).toHaveLength(4);
    // A snapshot's bulk answer fills the per-flag cache too.
    await flags.snapshot({ user: { email: 'grace@acme.test' } });
    await flags.checkFlag({ user: { email: 'grace@acme.test' } }, 'reports');
    expect(server.requests).toHaveLength(5);
  });

  it('expires cached checks after their TTL, and caches nothing with flagChecks: []', async () => {
    const short = client({ cacheProviders: { flagChecks: [new LocalCache({ ttl: 30 })] } });
    await short.checkFlag(ctx, 'new-editor');
    await new Promise((r) => setTimeout(r, 60));
    await short.checkFlag(ctx, 'new-editor');
    expect(server.requests).toHaveLength(2);
    const none = client({ cacheProviders: { flagChecks: [] } });
    await none.checkFlag(ctx, 'reports');
    await none.checkFlag(ctx, 'reports');
    expect(server.requests).toHaveLength(4);
  });

  it('sends identify and track as batched events with keys, timestamps and metadata', async () => {
    const flags = client({ eventBufferInterval: 60_000 });
    const sentAt = new Date('2026-11-23T10:00:00Z');
    await flags.identify({ keys: { email: 'ada@acme.test' }, name: 'Ada', traits: { role: 'admin' }, company: { keys: { domain: 'acme.test' }, name: 'Acme' } });
    await flags.track({ event: 'exports', company: { domain: 'acme.test' }, user: { email: 'ada@acme.test' }, quantity: 3 }, { idempotencyKey: 'export-42', sentAt, backfill: true });
    expect(server.requestsTo('/batch')).toHaveLength(0);
    await flags.close();
    const [batch] = server.requestsTo('/batch');
    expect(batch?.headers['x-schematic-api-key']).toBe('sch_test_key');
    const [identify, track] = (batch?.body as { events: Record<string, unknown>[] }).events;
    expect(identify).toEqual({
      api_key: 'sch_test_key',
      type: 'identify',
      body: { keys: { email: 'ada@acme.test' }, name: 'Ada', traits: { role: 'admin' }, company: { keys: { domain: 'acme.test' }, name: 'Acme' } },
      idempotency_key: expect.any(String),
      sent_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(track).toEqual({
      api_key: 'sch_test_key',
      type: 'track',
      body: { event: 'exports', company: { domain: 'acme.test' }, user: { email: 'ada@acme.test' }, quantity: 3 },
      idempotency_key: 'export-42',
      sent_at: '2026-11-23T10:00:00.000Z',
      backfill: true,
    });
  });

  it('sends at most 100 events per request', async () => {
    const flags = client({ eventBufferInterval: 60_000 });
    for (let i = 0; i < 250; i++) await flags.track({ event: 'seen', company: { domain: 'acme.test' } });
    await flags.close();
    expect(server.requestsTo('/batch').map((r) => (r.body as { events: unknown[] }).events.length)).toEqual([100, 100, 50]);
    expect(new Set(server.events.map((e) => e.idempotency_key)).size).toBe(250);
  });

  it('upserts companies and users, returning typed data; failures are ApiError with the status', async () => {
    const flags = client();
    expect((await flags.companies.upsertCompany({ keys: { domain: 'acme.test' }, name: 'Acme', traits: { seats: 12 } })).data).toEqual({
      id: 'comp_acme.test',
      keys: { domain: 'acme.test' },
      name: 'Acme',
      traits: { seats: 12 },
    });
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/companies', body: { keys: { domain: 'acme.test' }, name: 'Acme', traits: { seats: 12 } } });
    expect((await flags.companies.upsertUser({ keys: { email: 'ada@acme.test' }, company: { domain: 'acme.test' } })).data.id).toBe('user_ada@acme.test');
    server.inject({ kind: 'status', status: 422 }, { times: 1 });
    const failure = await flags.companies.upsertCompany({ keys: { domain: 'x.test' } }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 422, failure: 'status', body: { error: 'injected 422' } });
  });
});
