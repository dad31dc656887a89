import type { MetricPeriod } from '../evaluators/schematic/engine';
import { type ConditionShape, ExpressionError, findConnectives, readShape, splitList, startsWithOperatorSign } from './condition-text';

/**
 * The condition language of the flags file, one condition per string:
 *
 *   company.plan = pro                 company.plan in [pro, enterprise]      company.plan != free
 *   company.id = acme                  user.id in [ada, grace]
 *   company.seats >= 10                user.role in [admin, owner]            company.region != "eu west"
 *   user.beta is set                   company.trial_ends > 2026-12-01T00:00:00Z
 *   company.usage.exports < 100        company.usage.exports per month < 100 (per day | week | month)
 *
 * Operators: = != > >= < <= in, not in, is set, is not set.
 */
export type Scalar = string | number | boolean;
export type Comparison = '=' | '!=' | '>' | '>=' | '<' | '<=';

export type Expression =
  | { kind: 'id'; entity: 'company' | 'user'; negate: boolean; values: string[] }
  | { kind: 'plan'; negate: boolean; values: string[] }
  | { kind: 'metric'; event: string; period: MetricPeriod; comparison: Comparison; limit: number }
  | { kind: 'trait'; entity: 'company' | 'user'; trait: string; comparison: Comparison; values: Scalar[]; list: boolean }
  | { kind: 'presence'; entity: 'company' | 'user'; trait: string; set: boolean };

export { ExpressionError };

/** Text quoted in a message, cut short: a condition can be as long as the file. */
function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

const PERIODS: Record<string, MetricPeriod> = { day: 'current_day', week: 'current_week', month: 'current_month' };

function scalar(text: string): Scalar {
  const trimmed = text.trim();
  if (trimmed === '') throw new ExpressionError('a value is missing after the operator');
  if (/^"(?:[^"\\]|\\.)*"$/.test(trimmed)) {
    try {
      return JSON.parse(trimmed) as string;
    } catch {
      throw new ExpressionError(`cannot read the quoted value ${short(trimmed)} (a quoted value is a JSON string: no line breaks, escapes as in JSON)`);
    }
  }
  if (trimmed.startsWith("'")) {
    // Quotes people know from SQL and YAML: kept in the value, they would make it never match.
    const quoted = /^'([^'\\]*)'$/.exec(trimmed);
    if (quoted) return quoted[1] as string;
    throw new ExpressionError(`cannot read the value ${short(trimmed)}: a value in single quotes ends with one and holds no ' or \\ (use double quotes, a JSON string, for anything else)`);
  }
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (/[[\],"]/.test(trimmed)) throw new ExpressionError(`cannot read the value ${short(trimmed)} (quote values that hold [ ] , or ")`);
  if (startsWithOperatorSign(trimmed)) {
    throw new ExpressionError(`the value "${short(trimmed)}" starts with an operator sign: is an operator written twice? (quote a value that starts with one)`);
  }
  return trimmed;
}

function isQuoted(item: string): boolean {
  return item.startsWith('"') || item.startsWith("'");
}

function values(text: string, operator: string): Scalar[] {
  const trimmed = text.trim();
  if (operator !== 'in' && operator !== 'not in') return [scalar(trimmed)];
  if (!trimmed.startsWith('[') || !trimmed.endsWith(']')) throw new ExpressionError('"in" takes a list: in [a, b]');
  const inner = trimmed.slice(1, -1);
  if (inner.trim() === '') throw new ExpressionError('the list is empty');
  const items = splitList(inner).map((item) => item.trim());
  // An empty item is a typo, never a value: "not in [a,]" silently matching more than meant is the danger.
  if (items.some((item) => item === '')) throw new ExpressionError('the list has an empty item: two commas in a row, or a comma at an end');
  // So is a space inside an item: "in [DE FR]" would be the one value "DE FR".
  const spaced = items.find((item) => !isQuoted(item) && /\s/.test(item));
  if (spaced !== undefined) {
    const meant = items.flatMap((item) => (isQuoted(item) ? [item] : item.split(/\s+/))).join(', ');
    throw new ExpressionError(`the list item "${short(spaced)}" holds a space: separate items with commas, e.g. ${operator} [${short(meant)}] (quote an item that holds a space)`);
  }
  return items.map(scalar);
}

/** Why `and`/`or` cannot join conditions in one string, and what to write instead. */
function connectiveError(source: string, connectives: ReturnType<typeof findConnectives>): ExpressionError {
  const parts: string[] = [];
  let start = 0;
  for (const { start: at, end } of connectives) {
    parts.push(source.slice(start, at).trim());
    start = end;
  }
  parts.push(source.slice(start).trim());
  const first = connectives[0] as (typeof connectives)[number];
  if (first.word === 'and') {
    const list = parts.map((part) => JSON.stringify(part)).join(', ');
    return new ExpressionError(`"and" cannot join conditions in one string: list them, and all must hold: "when": [${list}] (quote a value that holds the word "and")`);
  }
  return new ExpressionError(`"or" cannot join conditions in one string: ${orAdvice(parts)}; for different attributes, write a separate rule for each (quote a value that holds the word "or")`);
}

/** `a = x or a = y` becomes the one condition `a in [x, y]`; anything else gets the general advice. */
function orAdvice(parts: readonly string[]): string {
  let shapes: (ConditionShape | null)[] = [];
  try {
    shapes = parts.map(readShape);
  } catch {
    // A part that cannot be read gets the general advice.
  }
  const attribute = (shape: ConditionShape | null | undefined) => (shape ? `${shape.entity}.${shape.attribute}` : null);
  const sameAttribute = shapes.length === parts.length && shapes.every((shape) => shape?.operator === '=' && shape.per === undefined && attribute(shape) === attribute(shapes[0]));
  if (!sameAttribute) return 'for one attribute, use in [a, b] (e.g. "user.role in [admin, owner]")';
  const items = shapes.map((shape) => (shape as ConditionShape).rest.trim()).join(', ');
  return `for one attribute, use in [a, b]: "${attribute(shapes[0])} in [${items}]"`;
}

/** Reads one condition of the flags file. @throws ExpressionError saying what is wrong and how to write it. */
export function parseExpression(source: string): Expression {
  const text = source.trim();
  const connectives = findConnectives(text);
  if (connectives.length > 0) throw connectiveError(text, connectives);
  const shape = readShape(text);
  if (!shape) {
    throw new ExpressionError(
      `cannot read "${short(text)}": write <company|user>.<attribute> <operator> <value>, e.g. "company.plan = pro" or "user.role in [admin, owner]"`,
    );
  }
  const { entity, attribute, per, operator, rest } = shape;

  if (operator === 'is set' || operator === 'is not set') {
    if (rest.trim() !== '') throw new ExpressionError(`"${operator}" takes no value`);
    return { kind: 'presence', entity, trait: attribute, set: operator === 'is set' };
  }
  const list = operator === 'in' || operator === 'not in';
  const negate = operator === '!=' || operator === 'not in';
  const comparison: Comparison = list ? (negate ? '!=' : '=') : (operator as Comparison);
  const parsed = values(rest, operator);

  if (attribute.startsWith('usage.')) {
    if (entity !== 'company') throw new ExpressionError('usage limits are on companies: company.usage.<event>');
    if (list) throw new ExpressionError('usage limits compare with a number, not a list');
    const limit = parsed[0];
    if (typeof limit !== 'number' || !Number.isInteger(limit)) throw new ExpressionError('a usage limit is a whole number');
    return { kind: 'metric', event: attribute.slice('usage.'.length), period: per ? (PERIODS[per] as MetricPeriod) : 'all_time', comparison, limit };
  }
  if (per) throw new ExpressionError('"per day|week|month" applies to usage limits only');
  if (attribute === 'id' || (attribute === 'plan' && entity === 'company')) {
    if (comparison !== '=' && comparison !== '!=') throw new ExpressionError(`${entity}.${attribute} takes =, !=, in or not in`);
    const ids = parsed.map(String);
    return attribute === 'id' ? { kind: 'id', entity, negate, values: ids } : { kind: 'plan', negate, values: ids };
  }
  return { kind: 'trait', entity, trait: attribute, comparison, values: parsed, list };
}
