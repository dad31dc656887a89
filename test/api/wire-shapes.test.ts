import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFlagsClient, type FlagsClient, type FlagsClientOptions } from '../../src/server/index';
import { recordingLogger } from '../support/flags-files';
import { SchematicTestServer } from '../support/schematic-server';

/** An answer shaped as `POST /companies` gives it (CompanyDetailResponseData, snake_case), trimmed to what matters. */
function companyDetailAnswer() {
  return {
    data: {
      id: 'comp_123',
      name: 'Acme',
      environment_id: 'env_1',
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      user_count: 0,
      keys: [
        { id: 'ek_1', key: 'domain', value: 'acme.test', definition_id: 'ekd_1', entity_id: 'comp_123', entity_type: 'company', environment_id: 'env_1' },
        { id: 'ek_2', key: 'stripe_id', value: 'cus_9', definition_id: 'ekd_2', entity_id: 'comp_123', entity_type: 'company', environment_id: 'env_1' },
      ],
      traits: { seats: 12, beta: true, region: 'eu' },
      entity_traits: [{ id: 'et_1', definition_id: 'etd_1', value: '12', definition: { id: 'etd_1', display_name: 'seats', trait_type: 'number', entity_type: 'company' } }],
      entitlements: [],
      rules: [],
      plans: [],
    },
    params: {},
  };
}

/** What Schematic's SDK puts on the wire for the same calls: snake_case fields, unknown ones left out. */
describe('wire shapes of upserts and events', () => {
  let server: SchematicTestServer;
  const clients: FlagsClient[] = [];
  let log: ReturnType<typeof recordingLogger>;

  beforeEach(async () => {
    server = await new SchematicTestServer().start();
    log = recordingLogger();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    await server.stop();
  });

  function client(options: FlagsClientOptions = {}) {
    const c = createFlagsClient({ apiKey: 'sch_test_key', basePath: server.url, eventCaptureBaseURL: server.url, logger: log.logger, logLevel: 'debug', ...options });
    clients.push(c);
    return c;
  }

  it('sends the extended upsert fields in snake_case and leaves unknown fields out (logged at debug)', async () => {
    const flags = client();
    const lastSeenAt = new Date('2026-11-23T10:00:00.000Z');
    await flags.companies.upsertCompany({
      keys: { domain: 'acme.test' },
      name: 'Acme',
      traits: { seats: 12 },
      id: 'comp_123',
      basePlanId: 'plan_1',
      basePlanPriceId: 'bilpp_1',
      lastSeenAt,
      preventKeyRemap: true,
      removeKeys: ['old'],
      updateOnly: true,
      mystery: 'x',
    } as never);
    await flags.companies.upsertUser({
      keys: { email: 'ada@acme.test' },
      company: { domain: 'acme.test' },
      companies: [{ domain: 'acme.test' }],
      companyId: 'comp_123',
      companyIds: ['comp_123'],
      lastSeenAt,
      removeKeys: ['old'],
      updateOnly: false,
      colour: 'blue',
    } as never);
    expect(server.requestsTo('/companies')[0]?.body).toEqual({
      keys: { domain: 'acme.test' },
      name: 'Acme',
      traits: { seats: 12 },
      id: 'comp_123',
      base_plan_id: 'plan_1',
      base_plan_price_id: 'bilpp_1',
      last_seen_at: '2026-11-23T10:00:00.000Z',
      prevent_key_remap: true,
      remove_keys: ['old'],
      update_only: true,
    });
    expect(server.requestsTo('/users')[0]?.body).toEqual({
      keys: { email: 'ada@acme.test' },
      company: { domain: 'acme.test' },
      companies: [{ domain: 'acme.test' }],
      company_id: 'comp_123',
      company_ids: ['comp_123'],
      last_seen_at: '2026-11-23T10:00:00.000Z',
      remove_keys: ['old'],
      update_only: false,
    });
    const debug = log.lines.filter((l) => l.level === 'debug').map((l) => l.message);
    expect(debug).toContainEqual(expect.stringMatching(/company.*mystery/));
    expect(debug).toContainEqual(expect.stringMatching(/user.*colour/));
  });

  it('sends track and identify bodies in snake_case, without unknown fields', async () => {
    const flags = client({ eventBufferInterval: 60_000 });
    await flags.track({ event: 'credits', company: { domain: 'acme.test' }, quantity: 2, leaseId: 'lease_1', reservationId: 'res_1', extra: 1 } as never);
    await flags.identify({ keys: { email: 'ada@acme.test' }, name: 'Ada', company: { keys: { domain: 'acme.test' }, plan: 'pro' }, role: 'admin' } as never);
    await flags.close();
    expect(server.events.map((e) => e.body)).toEqual([
      { event: 'credits', company: { domain: 'acme.test' }, quantity: 2, lease_id: 'lease_1', reservation_id: 'res_1' },
      { keys: { email: 'ada@acme.test' }, name: 'Ada', company: { keys: { domain: 'acme.test' } } },
    ]);
    const debug = log.lines.filter((l) => l.level === 'debug').map((l) => l.message);
    expect(debug).toContainEqual(expect.stringMatching(/track.*extra/));
    expect(debug).toContainEqual(expect.stringMatching(/identify.*role.*company\.plan|identify.*company\.plan.*role/));
  });

  it('returns the upsert answer with keys by name and traits as typed (a number stays a number)', async () => {
    const flags = client({
      fetch: async () => new Response(JSON.stringify(companyDetailAnswer()), { status: 200, headers: { 'content-type': 'application/json' } }),
    });
    const { data: detail, params } = await flags.companies.upsertCompany({ keys: { domain: 'acme.test' }, traits: { seats: 12, beta: true, region: 'eu' } });
    expect(params).toEqual({});
    expect(detail).toEqual({ id: 'comp_123', keys: { domain: 'acme.test', stripe_id: 'cus_9' }, name: 'Acme', traits: { seats: 12, beta: true, region: 'eu' } });
    expect(typeof detail.traits.seats).toBe('number');
  });

  it('reads typed traits from entity_traits when the answer has no traits map', async () => {
    const answer = companyDetailAnswer();
    const { traits: _omitted, ...withoutMap } = answer.data;
    const flags = client({
      fetch: async () => new Response(JSON.stringify({ ...answer, data: withoutMap }), { status: 200, headers: { 'content-type': 'application/json' } }),
    });
    expect((await flags.companies.upsertCompany({ keys: { domain: 'acme.test' } })).data.traits).toEqual({ seats: 12 });
  });

  it('returns the same typed shape in local and offline mode', async () => {
    const local = createFlagsClient({ flags: {}, logger: log.logger });
    const offline = createFlagsClient({ offline: true, logger: log.logger });
    clients.push(local, offline);
    const body = { keys: { domain: 'acme.test' }, name: 'Acme', traits: { seats: 12, beta: true, region: 'eu' } };
    const expected = { keys: { domain: 'acme.test' }, name: 'Acme', traits: { seats: 12, beta: true, region: 'eu' } };
    expect(await local.companies.upsertCompany(body)).toEqual({ data: { id: 'acme.test', ...expected }, params: {} });
    expect(await offline.companies.upsertCompany(body)).toEqual({ data: { id: '', ...expected }, params: {} });
  });
});
