import { describe, expect, it } from 'vitest';
import { ExpressionError, parseExpression } from './expression';

describe('flags-file conditions', () => {
  it.each([
    ['company.plan = pro', { kind: 'plan', negate: false, values: ['pro'] }],
    ['company.plan not in [free, trial]', { kind: 'plan', negate: true, values: ['free', 'trial'] }],
    ['user.id in [ada, grace]', { kind: 'id', entity: 'user', negate: false, values: ['ada', 'grace'] }],
    ['company.seats >= 10', { kind: 'trait', entity: 'company', trait: 'seats', comparison: '>=', values: [10], list: false }],
    ['user.role in [admin, "team owner"]', { kind: 'trait', entity: 'user', trait: 'role', comparison: '=', values: ['admin', 'team owner'], list: true }],
    ['user.beta == true', { kind: 'trait', entity: 'user', trait: 'beta', comparison: '=', values: [true], list: false }],
    ['company.usage.exports per month < 100', { kind: 'metric', event: 'exports', period: 'current_month', comparison: '<', limit: 100 }],
    ['company.usage.api_calls <= 5', { kind: 'metric', event: 'api_calls', period: 'all_time', comparison: '<=', limit: 5 }],
    ['user.email is set', { kind: 'presence', entity: 'user', trait: 'email', set: true }],
    ['company.region is not set', { kind: 'presence', entity: 'company', trait: 'region', set: false }],
  ])('reads %s', (source, expected) => {
    expect(parseExpression(source)).toEqual(expected);
  });

  it.each([
    ['plan = pro', 'write <company|user>.<attribute> <operator> <value>'],
    ['company.plan ~ pro', 'write <company|user>.<attribute>'],
    ['company.seats >=', 'a value is missing'],
    ['user.role in admin', '"in" takes a list'],
    ['user.usage.exports < 5', 'usage limits are on companies'],
    ['company.usage.exports < 2.5', 'a usage limit is a whole number'],
    ['company.plan > pro', 'company.plan takes =, !=, in or not in'],
    ['company.seats per month > 3', '"per day|week|month" applies to usage limits only'],
  ])('explains what is wrong with %s', (source, message) => {
    expect(() => parseExpression(source)).toThrow(ExpressionError);
    expect(() => parseExpression(source)).toThrow(message);
  });
});
