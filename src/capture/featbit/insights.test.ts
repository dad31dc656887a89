import { afterEach, describe, expect, it } from 'vitest';
import { InvalidEntityError } from '../../core/errors';
import { parseFeatBitUser } from '../../evaluators/featbit/parse-user';
import type { FeatBitUser } from '../../evaluators/featbit/wire-types';
import { FeatBitInsights } from './insights';

/** A logger that keeps every argument, so a test can see the error a log line carries. */
function fullLogger() {
  const lines: { level: string; message: string; detail: unknown }[] = [];
  const record = (level: string) => (message: string, detail?: unknown) => void lines.push({ level, message, detail });
  return { lines, logger: { error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug') } };
}

/** A fetch that accepts everything and keeps each POSTed body, parsed. */
function acceptingFetch() {
  const bodies: unknown[][] = [];
  const fetch = (async (_url: unknown, init?: RequestInit) => {
    bodies.push(JSON.parse(String(init?.body)));
    return new Response(null, { status: 200 });
  }) as typeof globalThis.fetch;
  return { bodies, fetch };
}

const USER: FeatBitUser = { keyId: 'u-1', name: 'Ada', customizedProperties: [{ name: 'plan', value: 'pro' }] };
const ON = { id: 'v-on', value: 'true' };

describe('FeatBitInsights (unit)', () => {
  const open: FeatBitInsights[] = [];
  function insights(overrides: Partial<ConstructorParameters<typeof FeatBitInsights>[0]> = {}) {
    const log = fullLogger();
    const sink = acceptingFetch();
    const made = new FeatBitInsights({ envSecret: 's', eventsUrl: 'http://events.test', logger: log.logger, fetch: sink.fetch, flushIntervalMs: 60_000, ...overrides });
    open.push(made);
    return { insights: made, log, bodies: sink.bodies };
  }
  afterEach(async () => {
    for (const made of open.splice(0)) await made.close(100);
  });

  it('never throws into the app: refuses bad events, logs why with an InvalidEntityError, and counts them as dropped', async () => {
    const { insights: sdk, log, bodies } = insights();
    expect(() => sdk.metric(USER, 'purchase', Number.NaN, 1)).not.toThrow();
    expect(() => sdk.evaluation({ name: 'no key' }, 'f', ON, false, 1)).not.toThrow();
    expect(() => sdk.evaluation(null as unknown as FeatBitUser, 'f', ON, false, 1)).not.toThrow();
    expect(() => sdk.metric(USER, 'purchase', Number.POSITIVE_INFINITY, 1)).not.toThrow();
    sdk.metric(USER, 'purchase', 3, 1);
    await sdk.flush();

    expect(bodies.flat()).toHaveLength(1);
    expect(sdk.stats).toMatchObject({ delivered: 1, dropped: 4, queued: 0 });
    const errors = log.lines.filter((l) => l.level === 'error');
    // The first refusal is logged at once; those right after it wait to be counted in the next line.
    expect(errors.map((l) => l.message)).toEqual(['1 FeatBit insight event refused, not queued']);
    expect(errors[0]?.detail).toBeInstanceOf(InvalidEntityError);
    expect((errors[0]?.detail as Error).message).toMatch(/numericValue/);
  });

  it('reports refusals not yet logged when it closes', async () => {
    const { insights: sdk, log } = insights();
    sdk.metric(USER, 'a', Number.NaN, 1);
    sdk.metric(USER, 'b', Number.NaN, 1);
    sdk.metric(USER, 'c', Number.NaN, 1);
    await sdk.close(100);
    expect(log.lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      '1 FeatBit insight event refused, not queued',
      '2 FeatBit insight events refused, not queued',
    ]);
  });

  it('takes a user already parsed for evaluation, properties and all', async () => {
    const { insights: sdk, bodies } = insights();
    sdk.evaluation(parseFeatBitUser(USER), 'f', ON, true, 5);
    await sdk.flush();
    expect(bodies[0]?.[0]).toMatchObject({ user: USER });
  });

  it('captures the user as it was when the event was queued', async () => {
    const { insights: sdk, bodies } = insights();
    const user = { keyId: 'u-9', name: 'before', customizedProperties: [] };
    sdk.evaluation(user, 'f', ON, false, 5);
    user.name = 'after';
    await sdk.flush();
    expect(bodies[0]?.[0]).toMatchObject({ user: { keyId: 'u-9', name: 'before' } });
  });

  it('drops events queued after close, and says so', async () => {
    const { insights: sdk, log, bodies } = insights();
    await sdk.close(100);
    sdk.metric(USER, 'late', 1, 1);
    expect(bodies).toEqual([]);
    expect(sdk.stats.dropped).toBe(1);
    expect(log.lines.some((l) => l.level === 'error' && /queued after close/.test(l.message))).toBe(true);
  });

  it('refuses options that cannot work at creation', () => {
    const log = fullLogger();
    expect(() => new FeatBitInsights({ envSecret: '', eventsUrl: 'http://e.test', logger: log.logger })).toThrow(/envSecret/);
    expect(() => new FeatBitInsights({ envSecret: 's', eventsUrl: 'ftp://e.test', logger: log.logger })).toThrow(/eventsUrl/);
    expect(() => new FeatBitInsights({ envSecret: 's', eventsUrl: 'not a url', logger: log.logger })).toThrow(/eventsUrl/);
  });
});
