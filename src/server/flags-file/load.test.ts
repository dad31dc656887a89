import { describe, expect, it } from 'vitest';
import { evaluateFlag, FlagsFileError } from '../index';
import { loadFlagsText } from './load';

function problemsOf(text: string) {
  try {
    loadFlagsText(text, 'flags.json');
  } catch (error) {
    if (error instanceof FlagsFileError) return error.problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

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

  it('reports a trait compared as two different types', () => {
    const text = JSON.stringify({ flags: { a: { rules: [{ when: 'company.seats > 5' }] }, b: { rules: [{ when: 'company.seats = many' }] } } });
    expect(problemsOf(text)).toEqual([expect.stringContaining('company.seats is compared as string here but as int at flags.a.rules.0.when')]);
  });

  it('reports invalid wire entities in the snapshot format with their path', () => {
    const text = JSON.stringify({ format: 'schematic-datastream', flags: [{ id: 'f', account_id: 'a', environment_id: 'e', key: 'k', default_value: 'no' }] });
    expect(problemsOf(text)).toEqual([expect.stringMatching(/flags\.0\.default_value: invalid flag at default_value: expected a boolean/)]);
  });
});
