import type { MetricPeriod } from '../engine';

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

export class ExpressionError extends Error {}

const SHAPE = /^(company|user)\.([A-Za-z0-9_][A-Za-z0-9_.-]*?)(?:\s+per\s+(day|week|month))?\s*(==|=|!=|>=|<=|>|<|\s+not\s+in\s|\s+in\s|\s+is\s+not\s+set$|\s+is\s+set$)\s*(.*)$/s;
const PERIODS: Record<string, MetricPeriod> = { day: 'current_day', week: 'current_week', month: 'current_month' };

function scalar(text: string): Scalar {
  const trimmed = text.trim();
  if (trimmed === '') throw new ExpressionError('a value is missing after the operator');
  if (/^"(?:[^"\\]|\\.)*"$/.test(trimmed)) return JSON.parse(trimmed) as string;
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (/[[\],"]/.test(trimmed)) throw new ExpressionError(`cannot read the value ${trimmed} (quote values that hold [ ] , or ")`);
  return trimmed;
}

function values(text: string, list: boolean): Scalar[] {
  const trimmed = text.trim();
  if (!list) return [scalar(trimmed)];
  if (!trimmed.startsWith('[') || !trimmed.endsWith(']')) throw new ExpressionError('"in" takes a list: in [a, b]');
  const inner = trimmed.slice(1, -1).trim();
  if (inner === '') throw new ExpressionError('the list is empty');
  const items: Scalar[] = [];
  // Split on commas outside quotes.
  for (const match of inner.matchAll(/\s*("(?:[^"\\]|\\.)*"|[^,]+)\s*(?:,|$)/g)) items.push(scalar(match[1] ?? ''));
  return items;
}

export function parseExpression(source: string): Expression {
  const m = SHAPE.exec(source.trim());
  if (!m) {
    throw new ExpressionError(
      `cannot read "${source}": write <company|user>.<attribute> <operator> <value>, e.g. "company.plan = pro" or "user.role in [admin, owner]"`,
    );
  }
  const entity = m[1] as 'company' | 'user';
  const attribute = m[2] as string;
  const per = m[3];
  const operator = (m[4] as string).trim().replace(/\s+/g, ' ');
  const rest = m[5] ?? '';

  if (operator === 'is set' || operator === 'is not set') {
    if (rest.trim() !== '') throw new ExpressionError(`"${operator}" takes no value`);
    return { kind: 'presence', entity, trait: attribute, set: operator === 'is set' };
  }
  const list = operator === 'in' || operator === 'not in';
  const negate = operator === '!=' || operator === 'not in';
  const comparison: Comparison = list ? (negate ? '!=' : '=') : operator === '==' ? '=' : (operator as Comparison);
  const parsed = values(rest, list);

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
