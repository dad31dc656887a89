import { afterEach, describe, expect, it } from 'vitest';
import { createFlagsClient, type EvaluationContext } from '../../src/server/index';
import { recordingLogger, tempFlagsFile } from '../support/flags-files';

const ADA = { user: { email: 'ada@acme.test' } };

/** Conditions on attributes that are keys in the contexts and entities below. */
const FLAGS = {
  flags: {
    'ada-only': { rules: [{ when: 'user.email = ada@acme.test' }] },
    'acme-domain': { rules: [{ when: 'company.domain = acme.test' }] },
    'has-email': { rules: [{ when: 'user.email is set' }] },
    staff: { rules: [{ when: 'user.email in [ada@acme.test, grace@acme.test]' }] },
    headline: {
      variations: ['control', 'bold'],
      default: 'control',
      rules: [{ when: 'user.email = ada@acme.test', value: 'bold' }],
    },
  },
  companies: [{ keys: { domain: 'acme.test' }, id: 'acme' }],
  users: [
    { keys: { email: 'ada@acme.test' }, id: 'ada' },
    // A trait of the same name as a key: the trait is what the store says about the user, and wins.
    { keys: { email: 'grace@acme.test' }, id: 'grace', traits: { email: 'grace@globex.test' } },
  ],
};

describe('conditions read keys as attributes', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function start(content: unknown = FLAGS) {
    const files = tempFlagsFile(content);
    const client = createFlagsClient({ flagsFile: files.file, logger: recordingLogger().logger, watch: false });
    cleanups.push(() => client.close(), files.cleanup);
    expect(await client.ready()).toBe('ready');
    return client;
  }

  it("match a stored user or company by the keys it was found by, as the README's conditions are written", async () => {
    const client = await start();
    expect(await client.checkFlag(ADA, 'ada-only')).toBe(true);
    expect(await client.checkFlag({ user: { email: 'ADA@acme.test' } }, 'ada-only')).toBe(true);
    expect(await client.checkFlag(ADA, 'has-email')).toBe(true);
    expect(await client.checkFlag(ADA, 'staff')).toBe(true);
    expect(await client.checkFlag({ company: { domain: 'acme.test' } }, 'acme-domain')).toBe(true);
    expect(await client.variation(ADA, 'headline', 'control')).toBe('bold');
    const request = await client.snapshot(ADA);
    expect(request.isEnabled('ada-only')).toBe(true);
    expect(request.detail('ada-only').ruleId).toBe('flag_ada-only.rule_1');
  });

  it('match a visitor the store does not hold by the keys of the context', async () => {
    const client = await start();
    const visitor: EvaluationContext = { user: { email: 'ada@acme.test', key: 'visitor-1' } };
    const noOne: EvaluationContext = { user: { key: 'visitor-2' } };
    // Ada's stored user is found by email; the visitor below is not stored, and only its context's keys say who it is.
    const stranger: EvaluationContext = { user: { email: 'grace@acme.test', key: 'x' }, company: { domain: 'acme.test' } };
    expect(await client.checkFlag(visitor, 'ada-only')).toBe(true);
    expect(await client.checkFlag(noOne, 'has-email')).toBe(false);
    expect(await client.checkFlag({ user: { email: 'eve@acme.test' } }, 'has-email')).toBe(true);
    expect(await client.checkFlag({ user: { email: 'eve@acme.test' } }, 'ada-only')).toBe(false);
    expect(await client.checkFlag(stranger, 'acme-domain')).toBe(true);
  });

  it('rank request-time attributes, then stored traits, then stored keys, then the context keys', async () => {
    const client = await start();
    // Grace's stored trait email is grace@globex.test; her key is grace@acme.test.
    expect(await client.checkFlag({ user: { email: 'grace@acme.test' } }, 'staff')).toBe(false);
    expect(await client.checkFlag({ user: { email: 'grace@acme.test' }, attributes: { user: { email: 'ada@acme.test' } } }, 'ada-only')).toBe(true);
    expect(await client.checkFlag({ user: { email: 'ada@acme.test' }, attributes: { user: { email: 'eve@acme.test' } } }, 'ada-only')).toBe(false);
  });

  it('are not read in the snapshot format, whose flags are Schematic’s and evaluate as Schematic does', async () => {
    const definition = { id: 'user.email', comparable_type: 'string', entity_type: 'user' };
    const condition = { id: 'c1', account_id: 'a', environment_id: 'e', condition_type: 'trait', operator: 'eq', resource_ids: [], trait_value: 'ada@acme.test', trait_definition: definition };
    const rule = { id: 'r1', account_id: 'a', environment_id: 'e', flag_id: 'f1', name: 'Ada', rule_type: 'standard', priority: 0, value: true, conditions: [condition], condition_groups: [] };
    const flag = { id: 'f1', account_id: 'a', environment_id: 'e', key: 'ada-only', default_value: false, rules: [rule] };
    const user = { id: 'ada', account_id: 'a', environment_id: 'e', keys: { email: 'ada@acme.test' }, traits: [] };
    const client = await start({ format: 'schematic-datastream', flags: [flag], users: [user] });
    expect(await client.checkFlag(ADA, 'ada-only')).toBe(false);
  });
});
