import { describe, expect, it } from 'vitest';
import { FlagsFileError } from '../server/index';
import { evaluateFlag } from '../engine';
import { loadFlagsText } from './load';
import { problemsOf } from '../../test/support/flags-files';


describe('loading a flags file', () => {
  it('compiles the concise format to Schematic entities the engine evaluates', () => {
    const data = loadFlagsText(
      `{
        // comments and trailing commas are fine
        "flags": {
          "beta": { "client": true, "rules": [{ "when": ["company.plan = pro", "user.role in [admin, owner]"] }] },
        },
        "companies": [{ "keys": { "domain": "acme.test" }, "plan": "pro" }],
      }`,
      'flags.json',
    );
    const flag = data.flags.get('beta');
    expect(flag).toBeDefined();
    expect([...data.clientKeys]).toEqual(['beta']);
    expect(data.companies[0]).toMatchObject({ id: 'acme.test', plan_ids: ['pro'], base_plan_id: 'pro' });
    const role = (value: string) => ({ id: 'u', account_id: 'local', environment_id: 'local', traits: [{ trait_definition: { id: 'user.role', comparable_type: 'string', entity_type: 'user' }, value }] });
    expect(evaluateFlag(flag!, data.companies[0], role('owner') as never).value).toBe(true);
    expect(evaluateFlag(flag!, data.companies[0], role('viewer') as never).value).toBe(false);
  });

  it('reads the snapshot format: wire entities as DataStream sends them', () => {
    const flag = { id: 'flag_1', account_id: 'a', environment_id: 'e', key: 'beta', default_value: true, rules: [] };
    const data = loadFlagsText(JSON.stringify({ format: 'schematic-datastream', flags: [flag], client: ['beta'] }), 'flags.json');
    expect(data.flags.get('beta')?.defaultValue).toBe(true);
    expect(data.clientKeys.has('beta')).toBe(true);
  });

  it('reports JSON syntax errors by line and column', () => {
    expect(problemsOf('{\n  "flags": {\n    "a": { "default": tru }\n  }\n}')).toEqual(['3:23 : JSON syntax: unexpected character (strings need double quotes; true, false and null are lower case)']);
  });

  it('reports schema problems at the field, with its path', () => {
    expect(problemsOf('{\n  "flags": {\n    "a": { "default": "yes" }\n  }\n}')).toEqual([expect.stringMatching(/^3:\d+ flags\.a\.default: /)]);
    expect(problemsOf('{ "flags": {}, "compnies": [] }')).toEqual([expect.stringContaining('compnies')]);
  });

  it('reports unreadable conditions at the condition', () => {
    const text = '{\n  "flags": {\n    "a": { "rules": [\n      { "when": ["company.plan = pro", "company.plan ~ pro"] }\n    ] }\n  }\n}';
    expect(problemsOf(text)).toEqual([expect.stringMatching(/^4:\d+ flags\.a\.rules\.0\.when\.1: cannot read "company\.plan ~ pro"/)]);
  });

  it('reports conditions that would silently never match at the condition, with what was meant', () => {
    const text = '{\n  "flags": {\n    "a": { "rules": [\n      { "when": ["company.seats >== 10", "company.country in [DE FR]"] }\n    ] }\n  }\n}';
    expect(problemsOf(text)).toEqual([
      '4:18 flags.a.rules.0.when.0: ">==" is not an operator (did you mean ">="?): write one of = != > >= < <=',
      '4:42 flags.a.rules.0.when.1: the list item "DE FR" holds a space: separate items with commas, e.g. in [DE, FR] (quote an item that holds a space)',
    ]);
  });

  it('reports schema and condition problems in one pass', () => {
    const text = '{\n  "flags": {\n    "a": { "rulez": [] },\n    "b": { "rules": [{ "when": "company.seats => 10" }] }\n  },\n  "segments": { "s": { "when": ["user.role ~ admin"] } }\n}';
    expect(problemsOf(text)).toEqual([
      '3:12 flags.a.rulez: unknown field "rulez" (did you mean "rules"?)',
      expect.stringMatching(/^4:\d+ flags\.b\.rules\.0\.when: "=>" is not an operator/),
      expect.stringMatching(/^6:\d+ segments\.s\.when\.0: cannot read "user\.role ~ admin"/),
    ]);
  });

  it('reports a trait compared as two different types', () => {
    const text = JSON.stringify({ flags: { a: { rules: [{ when: 'company.seats > 5' }] }, b: { rules: [{ when: 'company.seats = many' }] } } });
    expect(problemsOf(text)).toEqual([expect.stringContaining('company.seats is compared as string here but as int at flags.a.rules.0.when')]);
  });

  it('reports invalid wire entities in the snapshot format with their path', () => {
    const text = JSON.stringify({ format: 'schematic-datastream', flags: [{ id: 'f', account_id: 'a', environment_id: 'e', key: 'k', default_value: 'no' }] });
    expect(problemsOf(text)).toEqual([expect.stringMatching(/flags\.0\.default_value: invalid flag at default_value: expected a boolean/)]);
  });

  it('rejects deep nesting with a located FlagsFileError, not a stack overflow', () => {
    const arrays = `${'['.repeat(6000)}${']'.repeat(6000)}`;
    const objects = `{"flags": ${'{"a":'.repeat(6000)}1${'}'.repeat(6000)}}`;
    for (const text of [arrays, objects]) {
      expect(() => loadFlagsText(text, 'flags.json')).toThrow(FlagsFileError);
    }
    expect(problemsOf(arrays)).toEqual(['1:65 : nested deeper than 64 levels']);
    expect(problemsOf(`{\n  "flags": ${'{"a":'.repeat(100)}1${'}'.repeat(100)}}`)).toEqual([expect.stringMatching(/^2:\d+ : nested deeper than 64 levels$/)]);
  });

  it('never lets __proto__ in the file become a prototype', () => {
    const flag = '{\n  "flags": {\n    "__proto__": { "default": true }\n  }\n}';
    expect(problemsOf(flag)).toEqual(['3:5 flags.__proto__: __proto__ is not allowed as a name']);
    const keys = '{\n  "flags": {},\n  "companies": [{ "keys": { "__proto__": { "domain": "x" } } }]\n}';
    expect(problemsOf(keys)).toEqual(['3:29 companies.0.keys.__proto__: __proto__ is not allowed as a name']);
    const traits = JSON.stringify({ flags: {}, users: [{ keys: { email: 'a' } }] }).replace('"keys"', '"traits": { "__proto__": { "role": "admin" } }, "keys"');
    expect(problemsOf(traits)).toEqual([expect.stringContaining('users.0.traits.__proto__: __proto__ is not allowed as a name')]);
  });

  it('reports a flag key defined twice, with both places', () => {
    const text = '{\n  "flags": {\n    "beta": { "default": true },\n    "beta": { "default": false }\n  }\n}';
    expect(problemsOf(text)).toEqual(['4:5 flags.beta: flag "beta" is defined twice (first at line 3, column 5)']);
    const trait = '{ "flags": {}, "users": [{ "keys": { "email": "a", "email": "b" } }] }';
    expect(problemsOf(trait)).toEqual([expect.stringContaining('users.0.keys.email: "email" appears twice in this object (first at line 1, column 38)')]);
  });

  it('suggests the field an unknown one was meant to be', () => {
    expect(problemsOf('{\n  "flags": {\n    "a": { "rulez": [] }\n  }\n}')).toEqual(['3:12 flags.a.rulez: unknown field "rulez" (did you mean "rules"?)']);
    expect(problemsOf('{ "flags": {}, "compnies": [] }')).toEqual(['1:16 compnies: unknown field "compnies" (did you mean "companies"?)']);
    expect(problemsOf('{ "flags": { "a": { "rules": [{ "whne": "company.plan = pro" }] } } }')).toEqual([
      expect.stringContaining('flags.a.rules.0.whne: unknown field "whne" (did you mean "when"?)'),
    ]);
    expect(problemsOf('{ "flags": { "a": { "zzzzzzzz": 1 } } }')).toEqual([expect.stringMatching(/flags\.a\.zzzzzzzz: unknown field "zzzzzzzz"$/)]);
  });

  it('says what a trait value should be', () => {
    const text = '{ "flags": {}, "companies": [{ "keys": { "d": "x" }, "traits": { "tags": ["a"] } }] }';
    expect(problemsOf(text)).toEqual([expect.stringMatching(/companies\.0\.traits\.tags: a trait value is a string, number or boolean$/)]);
  });

  it('locates 5000 problems in linear time', () => {
    // The old locator sliced and split the text for each problem: this took about 10 s.
    const flags = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`flag-${i}`, { rules: [{ when: 'company.plan ~ pro' }] }]));
    const text = `${'// padding\n'.repeat(20_000)}${JSON.stringify({ flags }, null, 2)}`;
    const started = performance.now();
    const problems = problemsOf(text);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(problems).toHaveLength(5000);
    expect(problems[4999]).toMatch(/^\d+:19 flags\.flag-4999\.rules\.0\.when: cannot read/);
  }, 60_000);
});
