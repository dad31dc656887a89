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
    ['user.role not in [,]', 'the list has an empty item'],
    ['user.role in [admin,,owner]', 'the list has an empty item'],
    ['user.role in [admin,]', 'the list has an empty item'],
    ['company.plan in [, pro]', 'the list has an empty item'],
    ['user.email is set please', '"is set" takes no value'],
    ['company.name = "a\\x"', 'cannot read the quoted value "a\\x"'],
    ['company.usage.exports per fortnight < 3', '"per" takes day, week or month'],
  ])('explains what is wrong with %s', (source, message) => {
    expect(() => parseExpression(source)).toThrow(ExpressionError);
    expect(() => parseExpression(source)).toThrow(message);
  });

  it.each([
    ['company.seats >== 10', '">==" is not an operator (did you mean ">="?)'],
    ['company.seats => 10', '"=>" is not an operator (did you mean ">="?)'],
    ['company.seats =< 10', '"=<" is not an operator (did you mean "<="?)'],
    ['user.role === admin', '"===" is not an operator (did you mean "="?)'],
    ['user.role !== admin', '"!==" is not an operator (did you mean "!="?)'],
    ['user.role <> admin', '"<>" is not an operator (did you mean "!="?)'],
    ['company.seats = > 10', 'the value "> 10" starts with an operator'],
    ['user.role != =admin', 'the value "=admin" starts with an operator'],
  ])('refuses %s, which compared with text starting with an operator, saying what was meant', (source, message) => {
    expect(() => parseExpression(source)).toThrow(ExpressionError);
    expect(() => parseExpression(source)).toThrow(message);
  });

  it('reads a value that starts with an operator sign when it is quoted', () => {
    expect(parseExpression('user.role = "=admin"')).toMatchObject({ values: ['=admin'] });
  });

  it('refuses list items without a comma between them, showing the list with commas', () => {
    expect(() => parseExpression('company.country in [DE FR]')).toThrow('the list item "DE FR" holds a space: separate items with commas, e.g. in [DE, FR] (quote an item that holds a space)');
    expect(() => parseExpression('company.country not in [DE, FR IT]')).toThrow('in [DE, FR, IT]');
    expect(parseExpression('company.region in ["eu west", us]')).toMatchObject({ values: ['eu west', 'us'] });
  });

  it("reads single-quoted values as their text, as their writer meant", () => {
    expect(parseExpression("company.country = 'DE'")).toEqual({ kind: 'trait', entity: 'company', trait: 'country', comparison: '=', values: ['DE'], list: false });
    expect(parseExpression("company.country in ['DE', 'FR']")).toMatchObject({ values: ['DE', 'FR'] });
    expect(parseExpression("company.name in ['Tom and Jerry', 'a, b']")).toMatchObject({ values: ['Tom and Jerry', 'a, b'] });
    expect(parseExpression("company.plan = 'pro'")).toEqual({ kind: 'plan', negate: false, values: ['pro'] });
    expect(parseExpression("company.seats = '10'")).toMatchObject({ values: ['10'] });
    // An apostrophe inside a word is text.
    expect(parseExpression("user.name = O'Brien")).toMatchObject({ values: ["O'Brien"] });
    expect(() => parseExpression("company.name = 'it's'")).toThrow('use double quotes');
    expect(() => parseExpression("company.name = 'open")).toThrow('use double quotes');
  });

  it('keeps commas and brackets inside quoted list items', () => {
    expect(parseExpression('user.role in ["a, b", "[c]"]')).toMatchObject({ values: ['a, b', '[c]'] });
  });

  it('rejects "and" between two conditions, showing the list form', () => {
    expect(() => parseExpression('company.plan = pro and user.role = admin')).toThrow(ExpressionError);
    expect(() => parseExpression('company.plan = pro and user.role = admin')).toThrow('"when": ["company.plan = pro", "user.role = admin"]');
    expect(() => parseExpression('company.plan = pro AND user.role = admin')).toThrow('"when": [');
    expect(() => parseExpression('company.seats > 5 and company.seats < 10')).toThrow('"when": ["company.seats > 5", "company.seats < 10"]');
  });

  it('rejects "or" between two conditions, pointing at in [a, b] and separate rules', () => {
    expect(() => parseExpression('company.plan = pro or company.plan = enterprise')).toThrow('"company.plan in [pro, enterprise]"');
    expect(() => parseExpression('company.plan = pro or user.role = admin')).toThrow('a separate rule for each');
    expect(() => parseExpression('user.role in [admin or owner]')).toThrow('"or" cannot join');
  });

  it('accepts "and" and "or" inside quotes or inside a name', () => {
    expect(parseExpression('company.name = "Tom and Jerry"')).toMatchObject({ kind: 'trait', values: ['Tom and Jerry'] });
    expect(parseExpression('company.name in ["this or that", x]')).toMatchObject({ values: ['this or that', 'x'] });
    expect(parseExpression('company.brand_or_and = x')).toMatchObject({ trait: 'brand_or_and', values: ['x'] });
  });

  it('reads a 100 KB condition in linear time', () => {
    // The old shape regex backtracked over runs of spaces: this took about 40 s.
    const started = performance.now();
    expect(() => parseExpression(`company.a${' '.repeat(100_000)}x`)).toThrow(ExpressionError);
    expect(() => parseExpression(`company.a =${' '.repeat(100_000)}x`)).not.toThrow();
    expect(() => parseExpression(`user.role in [${'a, '.repeat(33_000)}b]`)).not.toThrow();
    expect(performance.now() - started).toBeLessThan(2000);
  }, 60_000);
});
