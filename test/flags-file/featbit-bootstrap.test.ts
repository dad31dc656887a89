import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index';
import { createFlagsClient, type FlagsClient } from '../../src/server/index';
import { featBitFlag } from '../support/featbit-builders';
import { nextEvent, problemsOf, recordingLogger, tempFlagsFile } from '../support/flags-files';

/** FeatBit's bootstrap envelope, as an export from FeatBit gives it. */
function envelope(flags: unknown[], segments: unknown[] = [], extra: Record<string, unknown> = {}) {
  return { messageType: 'data-sync', data: { eventType: 'full', featureFlags: flags, segments }, ...extra };
}

const headline = featBitFlag({
  key: 'headline',
  variationType: 'string',
  variations: [
    { id: 'v-control', value: 'control' },
    { id: 'v-bold', value: 'bold' },
  ],
  rules: [{ id: 'r-de', name: 'Germany', dispatchKey: null, includedInExpt: false, conditions: [{ property: 'country', op: 'Equal', value: 'DE' }], variations: [{ id: 'v-bold', rollout: [0, 1], exptRollout: 1 }] }],
  fallthrough: { dispatchKey: null, includedInExpt: false, variations: [{ id: 'v-control', rollout: [0, 1], exptRollout: 1 }] },
});
const limit = featBitFlag({ key: 'limit', variationType: 'number', variations: [{ id: 'n', value: '25' }], fallthrough: { dispatchKey: null, includedInExpt: false, variations: [{ id: 'n', rollout: [0, 1], exptRollout: 1 }] } });
const gone = featBitFlag({ key: 'gone', isArchived: true });

let client: FlagsClient | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await client?.close();
  client = undefined;
  cleanups.splice(0).forEach((c) => c());
});

function fileWith(content: unknown) {
  const files = tempFlagsFile(content);
  cleanups.push(files.cleanup);
  return files;
}

describe("a flags file in FeatBit's bootstrap format", () => {
  it('runs on the embedded default: values typed by variationType, request attributes as custom properties, archived flags absent', async () => {
    const { file } = fileWith(envelope([headline, limit, gone], [], { client: ['headline'] }));
    client = createFlagsClient({ flagsFile: file, watch: false, logger: recordingLogger().logger });
    await client.ready();
    expect(await client.variationDetail({ user: { key: 'u1' }, attributes: { user: { country: 'DE' } } }, 'headline', 'control')).toMatchObject({
      value: 'bold',
      variation: 'v-bold',
      kind: 'rule_match',
      reason: 'match rule Germany',
    });
    expect(await client.variation({ user: { key: 'u1' } }, 'headline', 'x')).toBe('control');
    expect(await client.variation({ user: { key: 'u1' } }, 'limit', 0)).toBe(25);
    expect(await client.variationDetail({ user: { key: 'u1' } }, 'gone', false)).toMatchObject({ kind: 'not_found' });
    const json = (await client.snapshot({ user: { key: 'u1' } })).toJSON();
    expect(json).toEqual({ v: 2, flags: { headline: { value: 'control', variation: 'v-control' } } });
  });

  it('lists definitions with variation ids as names and values as labels, and names an override by its variation id', async () => {
    const { file } = fileWith(envelope([headline, limit, gone], [], { client: ['headline'] }));
    client = createFlagsClient({ flagsFile: file, watch: false, logger: recordingLogger().logger });
    await client.ready();
    expect(client.flagDefinitions()).toEqual([
      {
        key: 'headline',
        description: null,
        variations: [
          { name: 'v-control', label: 'control', value: 'control' },
          { name: 'v-bold', label: 'bold', value: 'bold' },
        ],
        client: true,
      },
      { key: 'limit', description: null, variations: [{ name: 'n', label: '25', value: 25 }], client: false },
    ]);
    const overridden = (await client.snapshot({ user: { key: 'u1' } })).withOverrides({ headline: 'bold' });
    expect(overridden.variationDetail('headline', '')).toMatchObject({ value: 'bold', variation: 'v-bold', kind: 'override' });
  });

  it('answers a context with no key with the caller default (kind error), as FeatBit refuses a user without a key', async () => {
    const { file } = fileWith(envelope([headline]));
    client = createFlagsClient({ flagsFile: file, watch: false, logger: recordingLogger().logger });
    await client.ready();
    expect(await client.variationDetail({}, 'headline', 'fallback')).toMatchObject({ value: 'fallback', kind: 'error' });
  });

  it('reports a change of a flag on reload', async () => {
    const files = fileWith(envelope([headline, limit]));
    client = createFlagsClient({ flagsFile: files.file, watch: true, logger: recordingLogger().logger });
    await client.ready();
    const changed = nextEvent(client, 'change');
    files.write(envelope([headline, { ...limit, variations: [{ id: 'n', value: '50' }] }]));
    expect(await changed).toEqual({ type: 'flags', keys: ['limit'] });
    expect(await client.variation({ user: { key: 'u1' } }, 'limit', 0)).toBe(50);
  });

  it('reports problems with their place: the envelope, a malformed flag, the client list', () => {
    expect(problemsOf(JSON.stringify({ messageType: 'ping', data: {} }))).toEqual(['1:1 : not a FeatBit bootstrap: messageType "ping" is not handled']);
    const broken = JSON.stringify(envelope([{ ...headline, isEnabled: 'yes' }]), null, 2);
    expect(problemsOf(broken)).toEqual([expect.stringMatching(/^\d+:\d+ data\.featureFlags\.0\.isEnabled: .*boolean/)]);
    expect(problemsOf(JSON.stringify(envelope([headline], [], { client: 'headline' })))).toEqual([expect.stringMatching(/^1:\d+ client: expected a list of flag keys$/)]);
  });

  it('validate and check work on it', async () => {
    const { file } = fileWith(envelope([headline, limit]));
    const out: string[] = [];
    expect(await runCli(['validate', file], (l) => out.push(l), () => {})).toBe(0);
    expect(out[0]).toMatch(/2 flags, 0 companies, 0 users — valid \(FeatBit bootstrap\)$/);
    out.length = 0;
    expect(await runCli(['check', 'headline', '--user', 'key=u1', '--attr', 'user.country=DE', '--file', file], (l) => out.push(l), () => {})).toBe(0);
    expect(out).toEqual(['headline: "bold"', 'variation: v-bold', 'reason: match rule Germany [rule_match]', 'rule: r-de']);
  });

  it('a regex condition cannot freeze the process: a hostile request-time attribute is searched in linear time', async () => {
    const gate = featBitFlag({
      key: 'gate',
      variationType: 'boolean',
      rules: [{ id: 'r', name: 'Plan', dispatchKey: null, includedInExpt: false, conditions: [{ property: 'plan', op: 'MatchRegex', value: '^(a+)+$' }], variations: [{ id: 'on', rollout: [0, 1], exptRollout: 0 }] }],
    });
    const { file } = fileWith(envelope([gate]));
    client = createFlagsClient({ flagsFile: file, watch: false, logger: recordingLogger().logger });
    await client.ready();
    // Backtracking takes seconds at 28 characters and doubles with each one more: 5,000 would never finish.
    for (const plan of [`${'a'.repeat(28)}!`, `${'a'.repeat(5_000)}!`]) {
      expect(await client.variation({ user: { key: 'visitor-1' }, attributes: { user: { plan } } }, 'gate', true)).toBe(false);
    }
    expect(await client.variation({ user: { key: 'visitor-1' }, attributes: { user: { plan: 'aaa' } } }, 'gate', false)).toBe(true);
  });

  it('refuses a pattern the linear-time engine cannot run, at its place in the file', () => {
    const backreference = featBitFlag({
      key: 'gate',
      rules: [{ id: 'r', name: 'Twice', dispatchKey: null, includedInExpt: false, conditions: [{ property: 'plan', op: 'MatchRegex', value: '(a)\\1' }], variations: [{ id: 'on', rollout: [0, 1], exptRollout: 0 }] }],
    });
    const text = JSON.stringify(envelope([backreference]), null, 2);
    const line = text.split('\n').findIndex((l) => l.includes('"(a)\\\\1"')) + 1;
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\d+:\d+ data\.featureFlags\.0\.rules\.0\.conditions\.0\.value: the regular expression "\(a\)\\\\1" uses a backreference/);
    expect(problems[0]?.startsWith(`${line}:`)).toBe(true);
  });
});
