import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineFlags } from '../core/define-flags';
import { evaluateFlag } from '../evaluators/schematic/evaluate-flag';
import { rolloutShare } from '../evaluators/featbit/dispatch';
import { resolveVariant } from '../evaluators/schematic/variants/resolve';
import type { AttributeRef } from '../evaluators/schematic/variants/types';
import { changedKeys } from '../core/flag-set';
import { flagSetOf } from '../sources/file/flag-set-of';
import type { FlagsData } from './flags-data';
import { loadFlagsText } from './load';
import { problemsOf } from '../../test/support/flags-files';


/** The flags changed from one load of a file to the next, as a client tells its listeners. */
const changedFlagKeys = (before: FlagsData, after: FlagsData) => changedKeys(flagSetOf(before), flagSetOf(after));

/** One flag in a file of its own, the flag's JSON starting on line 3 at column 5. */
function fileWith(flag: string, key = 'headline'): string {
  return `{\n  "flags": {\n    "${key}": ${flag}\n  }\n}`;
}

const HEADLINE = JSON.stringify(
  {
    flags: {
      headline: {
        client: true,
        variations: ['control', 'bold', 'question'],
        default: 'control',
        off: 'question',
        rollout: { control: 34, bold: 33, question: 33 },
        rules: [
          { when: 'company.plan = pro', value: 'bold' },
          { when: 'user.country in [DE, FR]', rollout: { bold: 50, question: 50 }, by: 'company.id' },
        ],
      },
    },
  },
  null,
  2,
);

const share = (variation: number, start: number, end: number) => ({ variation, share: rolloutShare(start, end) });
const USER_KEY: AttributeRef = { entity: 'user', name: 'key' };

describe('flags with variations and rollouts', () => {
  it('compile to a Schematic flag whose rules are markers, beside a table of what each rule serves', () => {
    const data = loadFlagsText(HEADLINE, 'flags.json');
    const wire = data.wireFlags.get('headline');
    expect(wire).toMatchObject({ id: 'flag_headline', key: 'headline', default_value: false });
    expect(wire?.rules?.map((rule) => [rule.id, rule.value])).toEqual([
      ['flag_headline.rule_1', true],
      ['flag_headline.rule_2', true],
    ]);
    const variant = data.variants.get('headline');
    expect(variant).toMatchObject({
      key: 'headline',
      variations: [
        { name: 'control', value: 'control' },
        { name: 'bold', value: 'bold' },
        { name: 'question', value: 'question' },
      ],
      enabled: true,
      offVariation: 2,
      defaultVariation: 0,
      fallthrough: { kind: 'rollout', by: USER_KEY, shares: [share(0, 0, 0.34), share(1, 0.34, 0.67), share(2, 0.67, 1)] },
    });
    expect([...(variant?.outcomes ?? [])]).toEqual([
      ['flag_headline.rule_1', { kind: 'fixed', variation: 1 }],
      ['flag_headline.rule_2', { kind: 'rollout', by: { entity: 'company', name: 'id' }, shares: [share(1, 0, 0.5), share(2, 0.5, 1)] }],
    ]);
    expect(variant?.dispatchPrefix.text).toBe('headline');
    expect(data.clientKeys.has('headline')).toBe(true);
  });

  it('serve through the engine and resolveVariant what the file says', () => {
    const data = loadFlagsText(HEADLINE, 'flags.json');
    const flag = data.flags.get('headline')!;
    const variant = data.variants.get('headline')!;
    const company = { id: 'acme', account_id: 'local', environment_id: 'local', keys: { id: 'acme' }, traits: [], plan_ids: ['pro'], base_plan_id: 'pro', metrics: [] };
    const matched = evaluateFlag(flag, company as never, null);
    const served = resolveVariant(variant, matched, () => 'ada');
    expect(served).toEqual({ variation: 1, kind: 'rule_match', ruleId: 'flag_headline.rule_1', bucket: null });
    expect(resolveVariant(variant, evaluateFlag(flag, null, null), () => 'ada').kind).toBe('fallthrough');
  });

  it('take named JSON values, and numbers that name themselves', () => {
    const named = loadFlagsText(JSON.stringify({ flags: { layout: { variations: { narrow: { columns: 1 }, wide: { columns: 2 } }, default: 'wide' } } }), 'f');
    expect(named.variants.get('layout')).toMatchObject({
      variations: [
        { name: 'narrow', value: { columns: 1 } },
        { name: 'wide', value: { columns: 2 } },
      ],
      defaultVariation: 1,
      offVariation: 1,
      fallthrough: { kind: 'fixed', variation: 1 },
    });
    const numbers = loadFlagsText(JSON.stringify({ flags: { limit: { variations: [10, 20], default: 20, rules: [{ when: 'company.plan = pro', value: '10' }] } } }), 'f');
    expect(numbers.variants.get('limit')).toMatchObject({ variations: [{ name: '10', value: 10 }, { name: '20', value: 20 }], defaultVariation: 1 });
    expect(numbers.variants.get('limit')?.outcomes.get('flag_limit.rule_1')).toEqual({ kind: 'fixed', variation: 0 });
  });

  it('make an on/off flag with a rollout a variant flag over true and false', () => {
    const text = JSON.stringify({
      flags: {
        'new-checkout': { default: true, rollout: { true: 10, false: 90 }, rules: [{ when: 'company.plan = free', value: false }, { when: 'company.plan = pro' }] },
      },
    });
    const data = loadFlagsText(text, 'f');
    expect(data.wireFlags.get('new-checkout')?.default_value).toBe(false);
    expect(data.wireFlags.get('new-checkout')?.rules?.map((rule) => rule.value)).toEqual([true, true]);
    const variant = data.variants.get('new-checkout');
    expect(variant).toMatchObject({
      variations: [
        { name: 'true', value: true },
        { name: 'false', value: false },
      ],
      defaultVariation: 0,
      fallthrough: { kind: 'rollout', by: USER_KEY, shares: [share(0, 0, 0.1), share(1, 0.1, 1)] },
    });
    expect([...(variant?.outcomes.values() ?? [])]).toEqual([
      { kind: 'fixed', variation: 1 },
      { kind: 'fixed', variation: 0 },
    ]);
  });

  it('pair an entitlement with a limit with its exceeded rule, which serves the default', () => {
    const text = JSON.stringify({
      flags: { reports: { variations: ['basic', 'full'], default: 'basic', rules: [{ type: 'entitlement', when: ['company.plan = pro', 'company.usage.exports < 3'], value: 'full' }] } },
    });
    const data = loadFlagsText(text, 'f');
    expect(data.wireFlags.get('reports')?.rules?.map((rule) => [rule.id, rule.rule_type, rule.value])).toEqual([
      ['flag_reports.rule_1', 'plan_entitlement', true],
      ['flag_reports.rule_1.exceeded', 'plan_entitlement_usage_exceeded', false],
    ]);
    expect([...(data.variants.get('reports')?.outcomes.keys() ?? [])]).toEqual(['flag_reports.rule_1']);
  });

  it('end each share at the cumulative percentage, as FeatBit stores it, the last at exactly 1', () => {
    const data = loadFlagsText(JSON.stringify({ flags: { a: { variations: ['x', 'y', 'z'], default: 'x', rollout: { x: 33.3, y: 33.3, z: 33.4 } } } }), 'f');
    expect(data.variants.get('a')?.fallthrough).toEqual({ kind: 'rollout', by: USER_KEY, shares: [share(0, 0, 0.333), share(1, 0.333, 0.666), share(2, 0.666, 1)] });
  });

  it('serve the off variation, else the default, to everyone while disabled', () => {
    const data = loadFlagsText(JSON.stringify({ flags: { a: { enabled: false, default: true }, b: { enabled: false, variations: ['x', 'y'], default: 'x', off: 'y' } } }), 'f');
    expect(data.variants.get('a')).toMatchObject({ enabled: false, offVariation: 0, defaultVariation: 0 });
    expect(data.variants.get('b')).toMatchObject({ enabled: false, offVariation: 1, defaultVariation: 0 });
    expect(data.wireFlags.get('a')?.default_value).toBe(false);
  });

  it('leave on/off flags without rollouts as they were: no variant table, values on the rules', () => {
    const data = loadFlagsText(JSON.stringify({ flags: { beta: { default: true, rules: [{ when: 'company.plan = free', value: false }] } } }), 'f');
    expect(data.variants.size).toBe(0);
    expect(data.wireFlags.get('beta')).toMatchObject({ default_value: true, rules: [{ id: 'flag_beta.rule_1', value: false }] });
  });

  it('are absent from a snapshot, which holds Schematic flags only', () => {
    const flag = { id: 'flag_1', account_id: 'a', environment_id: 'e', key: 'beta', default_value: true, rules: [] };
    expect(loadFlagsText(JSON.stringify({ format: 'schematic-datastream', flags: [flag] }), 'f').variants.size).toBe(0);
  });

  it('count as changed when only what they serve changes', () => {
    const before = loadFlagsText(HEADLINE, 'f');
    const after = loadFlagsText(HEADLINE.replace(/"control": 34,(\s+)"bold": 33/, '"control": 33,$1"bold": 34'), 'f');
    expect(after.wireFlags.get('headline')).toEqual(before.wireFlags.get('headline'));
    expect(changedFlagKeys(before, after)).toEqual(['headline']);
    expect(changedFlagKeys(before, loadFlagsText(HEADLINE, 'f'))).toEqual([]);
    const disabled = loadFlagsText(JSON.stringify({ flags: { a: { enabled: false } } }), 'f');
    const enabled = loadFlagsText(JSON.stringify({ flags: { a: {} } }), 'f');
    expect(changedFlagKeys(disabled, enabled)).toEqual(['a']);
  });

  it('keep literal types in defineFlags', () => {
    const flags = defineFlags({
      headline: { variations: ['control', 'bold'], default: 'control', rules: [{ when: 'company.plan = pro', value: 'bold' }] },
      layout: { variations: { narrow: { columns: 1 } }, default: 'narrow' },
    });
    expectTypeOf(flags.headline.variations).toEqualTypeOf<['control', 'bold']>();
    expectTypeOf(flags.headline.default).toEqualTypeOf<'control'>();
    expectTypeOf(flags.layout.variations.narrow).toEqualTypeOf<{ readonly columns: 1 }>();
    expect(flags.headline.default).toBe('control');
  });
});

describe('problems with variations and rollouts, located', () => {
  it.each([
    ['{ "variations": ["a", "b"], "default": "c" }', '3:56 flags.headline.default: unknown variation "c": the variations are "a", "b"'],
    ['{ "variations": ["a", "b"], "default": "a", "off": "bb" }', '3:68 flags.headline.off: unknown variation "bb": the variations are "a", "b"'],
    ['{ "variations": ["a", "b"], "default": "a", "rules": [{ "value": "z" }] }', '3:82 flags.headline.rules.0.value: unknown variation "z": the variations are "a", "b"'],
    ['{ "variations": ["a", "b"], "default": "a", "rollout": { "a": 50, "c": 50 } }', '3:83 flags.headline.rollout.c: unknown variation "c" in this rollout: the variations are "a", "b"'],
    ['{ "variations": ["a", "b"] }', '3:17 flags.headline.default: a flag with variations needs a "default": one of "a", "b"'],
    ['{ "variations": ["a", "a"], "default": "a" }', '3:39 flags.headline.variations.1: variation "a" appears twice'],
    ['{ "default": "yes" }', '3:30 flags.headline.default: an on/off flag serves true or false (add "variations" to serve other values)'],
    ['{ "rules": [{ "value": "bold" }] }', '3:40 flags.headline.rules.0.value: an on/off flag serves true or false (add "variations" to serve other values)'],
    ['{ "rollout": { "true": 50, "false": 40 } }', '3:30 flags.headline.rollout: rollout weights add up to 90, not 100'],
    ['{ "rollout": { "true": 100.0000001 } }', '3:30 flags.headline.rollout: rollout weights add up to 100.0000001, not 100'],
    ['{ "rollout": { "true": 50.00000001, "false": 50 } }', '3:30 flags.headline.rollout: rollout weights add up to 100.00000001, not 100'],
    ['{ "rollout": { "true": 0.00000001, "false": 99.99999998 } }', '3:30 flags.headline.rollout: rollout weights add up to 99.99999999, not 100'],
    ['{ "rollout": { "yes": 100 } }', '3:32 flags.headline.rollout.yes: unknown variation "yes" in this rollout: the variations are "true", "false"'],
    ['{ "rollout": { "true": -10, "false": 110 } }', '3:40 flags.headline.rollout.true: a rollout weight cannot be negative'],
    ['{ "rules": [{ "value": true, "rollout": { "true": 100 } }] }', '3:57 flags.headline.rules.0.rollout: a rule serves a "value" or a "rollout", not both'],
    ['{ "by": "user.country" }', '3:25 flags.headline.by: "by" applies to a rollout: add "rollout" beside it'],
    ['{ "rollout": { "true": 100 }, "by": "country" }', '3:53 flags.headline.by: "by" names an attribute: "user.key", "user.<attribute>" or "company.<attribute>"'],
    ['{ "variations": ["a", "b"], "default": "a", "rules": [{ "when": "company.plan = pro" }] }', '3:71 flags.headline.rules.0: this rule serves nothing: give it a "value" (a variation) or a "rollout"'],
    ['{ "variations": [true, false], "default": true }', '3:33 flags.headline.variations: "variations" is a list of strings or numbers, or an object of named values'],
  ])('%s', (flag, problem) => {
    expect(problemsOf(fileWith(flag))).toEqual([problem]);
  });

  it('takes weights that add up to 100 as written, whatever binary rounding does to their sum', () => {
    // 33.3 + 33.3 + 33.4 is 100.00000000000001 in binary; 1e-9 is finer than the 1e-8 % rollouts are cut at.
    expect(() => loadFlagsText(fileWith('{ "rollout": { "true": 33.3, "false": 66.7 } }'), 'f.json')).not.toThrow();
    expect(() => loadFlagsText(fileWith('{ "variations": ["a", "b", "c"], "default": "a", "rollout": { "a": 33.3, "b": 33.3, "c": 33.4 } }'), 'f.json')).not.toThrow();
    expect(() => loadFlagsText(fileWith('{ "rollout": { "true": 100.000000001 } }'), 'f.json')).not.toThrow();
  });

  it('reports every problem of a file at once', () => {
    const text = fileWith('{ "variations": ["a"], "default": "b", "rules": [{ "when": "company.plan ~ pro", "value": "c" }] }');
    expect(problemsOf(text)).toHaveLength(3);
  });
});
