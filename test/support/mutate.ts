import type { Random } from './random';
import type { GeneratedCase, JsonObject } from './wire-generator';

/** Fields whose values are maps: their own keys are data, not field names, and are never re-cased. */
const MAP_FIELDS = new Set(['keys', 'credit_balances', 'credit_cost', 'creditBalances', 'creditCost']);
const MAP_OF_OBJECTS = new Set(['credit_postpaid', 'creditPostpaid']);

const camel = (snake: string): string => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The same entity with every field name in camelCase, as Schematic's Node SDK stores it. */
export function toCamelCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCamelCase);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (MAP_FIELDS.has(key)) out[camel(key)] = item;
    else if (MAP_OF_OBJECTS.has(key) && item && typeof item === 'object') {
      out[camel(key)] = Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toCamelCase(v)]));
    } else out[camel(key)] = toCamelCase(item);
  }
  return out;
}

function objectNodes(value: unknown, into: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(value)) for (const item of value) objectNodes(item, into);
  else if (value !== null && typeof value === 'object') {
    into.push(value as Record<string, unknown>);
    for (const item of Object.values(value)) objectNodes(item, into);
  }
  return into;
}

const WRONG_VALUES: unknown[] = [null, 'zz', 7, 1.5, -2, true, [], {}, 2 ** 63, 'globalOverride'];

/**
 * Breaks one field somewhere in the case: removes it, gives it a value of another type or an unknown enum
 * value, or repeats it in camelCase. Many mutations stay valid (an optional field removed); the test only
 * demands that both engines agree on whether the input is acceptable, and on the result when it is.
 */
export function mutate(random: Random, testCase: GeneratedCase): GeneratedCase {
  const copy = structuredClone(testCase);
  const roots = [copy.flag, copy.company, copy.user, copy.options].filter((v) => v !== null && v !== undefined);
  const nodes = objectNodes(roots);
  const node = random.pick(nodes);
  const keys = Object.keys(node);
  if (keys.length === 0) return copy;
  const key = random.pick(keys);
  const kind = random.int(0, 2);
  if (kind === 0) delete node[key];
  else if (kind === 1) {
    // A struct written as an array (serde's positional form) is a known, documented divergence: Schematic's
    // engine reads some; flagwire rejects all. Keep the mutation to values both sides must judge alike.
    const mayBeStruct = node[key] === null || (typeof node[key] === 'object' && !Array.isArray(node[key]));
    node[key] = random.pick(mayBeStruct ? WRONG_VALUES.filter((v) => !Array.isArray(v)) : WRONG_VALUES);
  }
  else node[camel(key)] = structuredClone(node[key]);
  return copy;
}

export function maybeCamelCase(random: Random, testCase: GeneratedCase): GeneratedCase {
  const pickCase = (value: JsonObject | null | undefined) =>
    value && random.chance(0.5) ? (toCamelCase(value) as JsonObject) : value;
  return {
    ...testCase,
    flag: pickCase(testCase.flag) as JsonObject,
    company: pickCase(testCase.company),
    user: pickCase(testCase.user),
    options: pickCase(testCase.options) ?? undefined,
  };
}
