import { createFlagsClient } from '../src/server/index';
import { SchematicTestServer } from '../test/support/schematic-server';
import { formatNs, measure } from './measure';

/**
 * `track()` on the caller's path in API mode: what an app pays per call. The send interval is long, so
 * only queueing is measured (delivery happens off the caller's path); `JSON.stringify` of a small object
 * is the baseline beside it.
 */
export async function eventsBench(): Promise<string> {
  const server = await new SchematicTestServer().start();
  const client = createFlagsClient({
    apiKey: 'sch_test_key',
    basePath: server.url,
    eventCaptureBaseURL: server.url,
    eventBufferInterval: 3_600_000,
    maxQueuedEvents: 50_000_000,
    // Queueing only: no byte bound either, so no call pays for dropping an older event.
    maxQueuedEventBytes: 2 ** 40,
    logLevel: 'silent',
  });
  const company = { domain: 'acme.test' };
  const body = { event: 'export', company, quantity: 1 };
  const results = await measure([
    { name: 'client.track({ event, company, quantity })', run: (i) => client.track({ event: 'export', company, quantity: i & 3 }) },
    { name: 'client.identify({ keys, traits, company })', run: (i) => client.identify({ keys: { email: 'ada@acme.test' }, traits: { n: i }, company: { keys: company } }) },
    { name: 'baseline: JSON.stringify of the track body', run: () => JSON.stringify(body) },
  ]);
  await client.close().catch(() => undefined);
  await server.stop();
  const baseline = results[2]!.nsPerOp;
  return [
    '## Events: track() and identify() on the caller\'s path (API mode)',
    '',
    'Queueing only: the call returns before any I/O (batches go out on a timer). Target: under 1 µs per call.',
    '',
    '| call | per call | p10 – p90 | vs baseline |',
    '|---|---|---|---|',
    ...results.map((r) => `| ${r.name} | ${formatNs(r.nsPerOp)} | ${formatNs(r.p10)} – ${formatNs(r.p90)} | ${(r.nsPerOp / baseline).toFixed(2)}× |`),
  ].join('\n');
}
