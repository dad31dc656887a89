import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createFlagsClient, FlagsFileError, REASON_FLAG_DEFAULT, REASON_FLAG_NOT_FOUND } from '../../src/server/index';
import { nextEvent, recordingLogger, SAMPLE_FLAGS, tempFlagsFile } from '../support/flags-files';

const acme = { company: { domain: 'acme.test' } };
const globex = { company: { domain: 'globex.test' } };

describe('local mode: a flags file evaluated in-process', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  function start(content: unknown = SAMPLE_FLAGS, extra: Parameters<typeof createFlagsClient>[0] = {}) {
    const files = tempFlagsFile(content);
    const log = recordingLogger();
    const client = createFlagsClient({ flagsFile: files.file, logger: log.logger, ...extra });
    cleanups.push(() => client.close(), files.cleanup);
    return { client, files, log };
  }

  it('answers checks from the file once ready', async () => {
    const { client } = start();
    expect(await client.ready()).toBe('ready');
    expect(await client.checkFlag(acme, 'advanced-reports')).toBe(true);
    expect(await client.checkFlag(globex, 'advanced-reports')).toBe(false);
    expect(await client.checkFlag({ ...acme, user: { email: 'ada@acme.test' } }, 'new-editor')).toBe(true);
    expect(await client.checkFlag({ ...acme, user: { email: 'bob@acme.test' } }, 'new-editor')).toBe(false);
    expect(await client.checkFlag(globex, 'new-editor')).toBe(true);
  });

  it('finds companies and users by any key, case-insensitively', async () => {
    const { client } = start();
    await client.ready();
    expect(await client.checkFlag({ company: { domain: 'ACME.test' } }, 'internal-tools')).toBe(true);
  });

  it('reports the rule, reason and entitlement usage in the detail', async () => {
    const { client } = start(SAMPLE_FLAGS, { now: () => Date.UTC(2026, 10, 23) });
    await client.ready();
    const detail = await client.checkFlagWithEntitlement(acme, 'advanced-reports');
    expect(detail).toMatchObject({
      value: true,
      reason: 'Matched plan entitlement rule "Pro plan" (flag_advanced-reports.rule_1)',
      ruleType: 'plan_entitlement',
      companyId: 'acme',
      featureUsage: 1,
      featureAllocation: 3,
      featureUsageEvent: 'exports',
      featureUsagePeriod: 'current_month',
      featureUsageResetAt: '2026-12-01T00:00:00+00:00',
    });
  });

  it('serves defaults for unknown flags: flagDefaults, then a per-call default, then false', async () => {
    const { client } = start(SAMPLE_FLAGS, { flagDefaults: { 'dark-mode': true } });
    await client.ready();
    expect(await client.checkFlagWithEntitlement(acme, 'dark-mode')).toMatchObject({ value: true, reason: REASON_FLAG_NOT_FOUND });
    expect(await client.checkFlag(acme, 'dark-mode', { defaultValue: false })).toBe(false);
    expect(await client.checkFlag(acme, 'nope', { defaultValue: () => true })).toBe(true);
    expect(await client.checkFlag(acme, 'nope')).toBe(false);
  });

  it('checks several flags with one lookup', async () => {
    const { client } = start();
    await client.ready();
    const results = await client.checkFlags(acme, ['advanced-reports', 'internal-tools', 'missing']);
    expect(results.map((r) => [r.flagKey, r.value])).toEqual([
      ['advanced-reports', true],
      ['internal-tools', true],
      ['missing', false],
    ]);
    expect((await client.checkFlags(acme)).map((r) => r.flagKey).sort()).toEqual(['advanced-reports', 'internal-tools', 'new-editor']);
  });

  it('gives snapshots that read synchronously and never change', async () => {
    const { client, files } = start();
    await client.ready();
    const snapshot = await client.snapshot({ ...acme, user: { email: 'ada@acme.test' } });
    expect(snapshot.isEnabled('advanced-reports')).toBe(true);
    expect(snapshot.entitlement('advanced-reports')).toMatchObject({ usage: 1, allocation: 3, exceeded: false });
    expect(snapshot.keys().sort()).toEqual(['advanced-reports', 'internal-tools', 'new-editor']);
    const changed = nextEvent(client, 'change');
    files.write({ ...SAMPLE_FLAGS, flags: { ...SAMPLE_FLAGS.flags, 'internal-tools': { default: false } } });
    await changed;
    expect(snapshot.isEnabled('internal-tools')).toBe(true);
    expect((await client.snapshot(acme)).isEnabled('internal-tools')).toBe(false);
  });

  it('sends browsers only client-visible flags, values only', async () => {
    const { client } = start();
    await client.ready();
    const json = JSON.parse(JSON.stringify({ flags: await client.snapshot({ ...acme, user: { email: 'ada@acme.test' } }) }));
    expect(Object.keys(json.flags.flags).sort()).toEqual(['advanced-reports', 'new-editor']);
    expect(json.flags.flags['new-editor']).toEqual({ value: true });
    const text = JSON.stringify(json);
    for (const secret of ['acme.test', 'admin', 'seats', 'company.plan', 'rule_', 'internal-tools']) expect(text).not.toContain(secret);
  });

  it('reloads an edited file, emits change with the changed keys, and answers anew', async () => {
    const { client, files } = start();
    await client.ready();
    const changed = nextEvent(client, 'change');
    files.write({ ...SAMPLE_FLAGS, flags: { ...SAMPLE_FLAGS.flags, 'internal-tools': { rules: [{ when: 'company.id = globex.test' }] } } });
    expect(await changed).toEqual({ type: 'flags', keys: ['internal-tools'] });
    expect(await client.checkFlag(acme, 'internal-tools')).toBe(false);
    expect(await client.checkFlag(globex, 'internal-tools')).toBe(true);
  });

  it('keeps serving the last good flags after a broken edit, and says where the problem is', async () => {
    const { client, files, log } = start();
    await client.ready();
    const failed = nextEvent(client, 'error');
    files.write('{\n  "flags": {\n    "x": { "rules": [{ "when": "company.plan ~ pro" }] }\n  }\n}\n');
    const error = await failed;
    expect(error).toBeInstanceOf(FlagsFileError);
    expect(error.message).toContain(`${files.file}:3:`);
    expect(error.message).toContain('flags.x.rules.0.when');
    expect(client.status).toBe('stale');
    expect(log.lines.some((l) => l.level === 'error' && l.message.includes('Still serving the last good flags'))).toBe(true);
    expect(await client.checkFlag(acme, 'advanced-reports')).toBe(true);
    const recovered = nextEvent(client, 'status');
    files.write(SAMPLE_FLAGS);
    expect(await recovered).toBe('ready');
  });

  it('starts without a file, serves defaults at once, and picks the file up when it appears', async () => {
    const files = tempFlagsFile();
    const log = recordingLogger();
    const client = createFlagsClient({ flagsFile: files.file, logger: log.logger, flagDefaults: { 'advanced-reports': true } });
    cleanups.push(() => client.close(), files.cleanup);
    await nextEvent(client, 'error');
    const started = performance.now();
    expect(await client.checkFlagWithEntitlement(globex, 'advanced-reports')).toMatchObject({ value: true, reason: REASON_FLAG_DEFAULT });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(log.lines[0]?.message).toContain('not found');
    const ready = nextEvent(client, 'status');
    files.write(SAMPLE_FLAGS);
    expect(await ready).toBe('ready');
    expect(await client.checkFlag(globex, 'advanced-reports')).toBe(false);
  });

  it('never waits past the timeout for data that does not come', async () => {
    // A FIFO with no writer: reading the "file" blocks until someone writes, so data never arrives.
    const files = tempFlagsFile();
    execFileSync('mkfifo', [files.file]);
    const client = createFlagsClient({ flagsFile: files.file, watch: false, startWaitMs: 60_000, logger: recordingLogger().logger });
    cleanups.push(() => writeFileSync(files.file, ''), () => client.close(), files.cleanup);
    const started = performance.now();
    const result = await client.checkFlagWithEntitlement(globex, 'advanced-reports', { timeoutMs: 50, defaultValue: true });
    const snapshot = await client.snapshot(globex, { timeoutMs: 50 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result).toMatchObject({ value: true, reason: REASON_FLAG_DEFAULT });
    expect(snapshot.detail('advanced-reports').reason).toBe(REASON_FLAG_DEFAULT);
    expect(client.status).toBe('initializing');
  });

  it('answers every check with its default once closed, and closes only once', async () => {
    const { client } = start();
    await client.ready();
    await client.close();
    await client.close();
    expect(client.status).toBe('closed');
    expect(await client.checkFlagWithEntitlement(acme, 'advanced-reports')).toMatchObject({ value: false, reason: REASON_FLAG_DEFAULT });
  });
});
