import { describe, expect, it } from 'vitest';
import type { WireRule } from '../evaluators/schematic/engine';
import { loadFlagsText } from './load';
import { problemsOf } from '../../test/support/flags-files';


/** A rule's conditions without the ids, which name the flag they belong to. */
function conditionsOf(rule: WireRule | undefined) {
  const strip = ({ id: _, ...condition }: { id: string }) => condition;
  return { conditions: rule?.conditions?.map(strip), groups: rule?.condition_groups?.map((group) => group.conditions?.map(strip)) };
}

const SEGMENTS = { beta: { description: 'Beta testers in Germany and France', when: ['user.beta = true', 'user.country in [DE, FR]'] }, 'early access': { when: 'company.seats >= 10' } };

describe('segments', () => {
  it('stand for their conditions in a rule, all of which must hold beside the rule’s own', () => {
    const data = loadFlagsText(
      JSON.stringify({
        segments: SEGMENTS,
        flags: {
          viaSegment: { rules: [{ when: ['in segment beta', 'company.plan = pro'] }] },
          written: { rules: [{ when: ['user.beta = true', 'user.country in [DE, FR]', 'company.plan = pro'] }] },
        },
      }),
      'f',
    );
    const viaSegment = data.wireFlags.get('viaSegment')?.rules?.[0];
    expect(conditionsOf(viaSegment)).toEqual(conditionsOf(data.wireFlags.get('written')?.rules?.[0]));
    expect(viaSegment?.conditions).toHaveLength(2);
    expect(viaSegment?.condition_groups?.[0]?.conditions).toHaveLength(2);
    expect(viaSegment?.name).toBe('in segment beta and company.plan = pro');
  });

  it('take quoted names, in flags with variations too', () => {
    const data = loadFlagsText(
      JSON.stringify({ segments: SEGMENTS, flags: { layout: { variations: ['a', 'b'], default: 'a', rules: [{ when: 'in segment "early access"', value: 'b' }] } } }),
      'f',
    );
    expect(data.wireFlags.get('layout')?.rules?.[0]?.conditions).toMatchObject([{ condition_type: 'trait', operator: 'gte', trait_value: '10' }]);
    expect(data.variants.get('layout')?.outcomes.get('flag_layout.rule_1')).toEqual({ kind: 'fixed', variation: 1 });
  });

  it('report an unknown segment at the condition, with the name most likely meant', () => {
    const text = '{\n  "segments": { "beta": { "when": "user.beta = true" } },\n  "flags": {\n    "a": { "rules": [{ "when": "in segment bta" }] }\n  }\n}';
    expect(problemsOf(text)).toEqual(['4:32 flags.a.rules.0.when: unknown segment "bta" (did you mean "beta"?)']);
    const none = '{ "flags": { "a": { "rules": [{ "when": ["company.plan = pro", "in segment beta"] }] } } }';
    expect(problemsOf(none)).toEqual(['1:64 flags.a.rules.0.when.1: unknown segment "beta": define it under "segments"']);
  });

  it('cannot be negated', () => {
    const text = JSON.stringify({ segments: SEGMENTS, flags: { a: { rules: [{ when: 'not in segment beta' }] } } });
    expect(problemsOf(text)).toEqual([expect.stringContaining('flags.a.rules.0.when: "not in segment" is not supported: write a rule for the segment that serves the other value first')]);
  });

  it('report their own conditions’ problems at the segment', () => {
    const text = '{\n  "segments": {\n    "beta": { "when": ["user.beta = true", "user.country ~ DE"] }\n  },\n  "flags": {}\n}';
    expect(problemsOf(text)).toEqual([expect.stringMatching(/^3:44 segments\.beta\.when\.1: cannot read "user\.country ~ DE"/)]);
    const nested = JSON.stringify({ segments: { a: { when: 'in segment b' }, b: { when: 'user.beta = true' } }, flags: {} });
    expect(problemsOf(nested)).toEqual([expect.stringContaining('segments.a.when: a segment cannot name another segment: list its conditions here')]);
    expect(problemsOf(JSON.stringify({ segments: { a: { when: [] } }, flags: {} }))).toEqual([expect.stringContaining('segments.a.when: ')]);
    const negated = JSON.stringify({ segments: { a: { when: 'not in segment b' } }, flags: {} });
    expect(problemsOf(negated)).toEqual([expect.stringContaining('segments.a.when: "not in segment" is not supported')]);
  });

  it('settle trait types together with the rules', () => {
    const text = JSON.stringify({ segments: { big: { when: 'company.seats > 5' } }, flags: { a: { rules: [{ when: 'company.seats = many' }] } } });
    expect(problemsOf(text)).toEqual([expect.stringContaining('flags.a.rules.0.when: company.seats is compared as string here but as int at segments.big.when')]);
  });

  it('need a segment name', () => {
    expect(problemsOf(JSON.stringify({ flags: { a: { rules: [{ when: 'in segment' }] } } }))).toEqual([expect.stringContaining('name the segment: in segment <name>')]);
  });
});
