import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFlagsClient, type FlagsClient, REASON_FLAG_DEFAULT } from '../../src/server/index';
import { recordingLogger } from '../support/flags-files';
import { type Fault, SchematicTestServer } from '../support/schematic-server';

/** Under every fault the API can show, a check answers with the default within its timeout and never throws. */
describe('API faults', () => {
  let server: SchematicTestServer;
  let flags: FlagsClient;
  const TIMEOUT_MS = 400;
  const ctx = { company: { domain: 'acme.test' } };

  beforeEach(async () => {
    server = await new SchematicTestServer().start();
    server.flags = { beta: { value: false } };
    flags = createFlagsClient({
      apiKey: 'sch_test_key',
      basePath: server.url,
      eventCaptureBaseURL: server.url,
      timeoutMs: TIMEOUT_MS,
      flagDefaults: { beta: true },
      cacheProviders: { flagChecks: [] },
      logger: recordingLogger().logger,
    });
  });
  afterEach(async () => {
    await flags.close();
    await server.stop();
  });

  const faults: [string, Fault][] = [
    ['a 500 storm', { kind: 'status', status: 500 }],
    ['429 with Retry-After: 30', { kind: 'status', status: 429, retryAfter: '30' }],
    ['a response slower than the timeout', { kind: 'slow', delayMs: 3000 }],
    ['a dropped connection', { kind: 'drop' }],
    ['malformed JSON', { kind: 'malformed' }],
    ['401 unauthorized', { kind: 'status', status: 401 }],
  ];

  it.each(faults)('%s: checks, bulk checks and snapshots serve defaults in time', async (_name, fault) => {
    server.inject(fault);
    const started = performance.now();
    const [detail, value, many, snapshot] = await Promise.all([
      flags.checkFlagWithEntitlement(ctx, 'beta'),
      flags.checkFlag(ctx, 'beta', { defaultValue: false }),
      flags.checkFlags(ctx, ['beta']),
      flags.snapshot(ctx),
    ]);
    const elapsed = performance.now() - started;
    expect(detail).toMatchObject({ value: true, reason: REASON_FLAG_DEFAULT });
    expect(value).toBe(false);
    expect(many[0]?.value).toBe(true);
    expect(snapshot.isEnabled('beta')).toBe(true);
    // The timeout, plus scheduling slack on a busy machine; never the 3 s or 30 s the fault would cost.
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 1500);
    server.clearFaults();
    expect(await flags.checkFlag(ctx, 'beta')).toBe(false);
  });

  it('retries a short 5xx burst within the timeout and gets the real answer', async () => {
    const patient = createFlagsClient({ apiKey: 'sch_test_key', basePath: server.url, timeoutMs: 5000, flagDefaults: { beta: true }, logger: recordingLogger().logger });
    server.inject({ kind: 'status', status: 503 }, { times: 1 });
    expect(await patient.checkFlagWithEntitlement(ctx, 'beta')).toMatchObject({ value: false, reason: 'No rules matched; default value for flag' });
    expect(server.requestsTo('/flags/beta/check')).toHaveLength(2);
    await patient.close();
  });

  it('stops retrying once the check has given up', async () => {
    server.inject({ kind: 'status', status: 500 });
    await flags.checkFlag(ctx, 'beta');
    const asked = server.requests.length;
    await new Promise((r) => setTimeout(r, 2500));
    expect(server.requests.length).toBe(asked);
  });
});
