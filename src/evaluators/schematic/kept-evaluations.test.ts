import { describe, expect, it } from 'vitest';
import { Random } from '../../../test/support/random';
import type { EvaluationRequest } from '../../core/flag-set';
import type { AttributeValue, EvaluationContext } from '../../core/types';
import { loadFlagsText } from '../../flags-file/load';
import { flagSetOf } from '../../sources/file/flag-set-of';
import { parseCompany, parseUser, type ParsedCompany, type ParsedUser } from './engine';

/**
 * Results kept per company and user (and per value of each request attribute a condition reads) against a fresh
 * evaluation: the same request on a new flag set of the same file, whose memo is empty.
 */
const FILE = {
  flags: {
    'eu-banner': { rules: [{ when: 'user.country in [DE, FR]' }] },
    big: { rules: [{ when: 'company.seats >= 50' }] },
    admins: { rules: [{ when: 'user.role = admin' }] },
    // Read from who the request is: a visitor's id is the context's key.
    vip: { rules: [{ when: 'user.id = visitor-3' }, { when: 'company.id = globex' }] },
    headline: { variations: ['control', 'bold', 'question'], default: 'control', rollout: { control: 34, bold: 33, question: 33 }, rules: [{ when: 'user.country = DE', value: 'bold' }] },
    exports: { rules: [{ type: 'entitlement', when: ['company.plan = pro', 'company.usage.exports per month < 3'] }] },
    layout: { variations: ['narrow', 'wide'], default: 'narrow', rules: [{ when: 'user.plan = pro', rollout: { narrow: 50, wide: 50 }, by: 'user.team' }] },
  },
  companies: [
    { keys: { domain: 'acme.test' }, id: 'acme', plan: 'pro', traits: { seats: 12 }, usage: { exports: 1 } },
    { keys: { domain: 'globex.test' }, id: 'globex', traits: { seats: 80 } },
  ],
  users: [
    { keys: { email: 'ada@acme.test' }, id: 'ada', traits: { role: 'admin', country: 'FR' } },
    { keys: { email: 'bob@acme.test' }, id: 'bob', traits: { role: 'viewer', plan: 'pro' } },
  ],
};
const KEYS = Object.keys(FILE.flags);

const data = loadFlagsText(JSON.stringify(FILE), 'flags.json');
const companies = data.companies.map((company) => parseCompany(company));
const users = data.users.map((user) => parseUser(user));

function request(company: ParsedCompany | null, user: ParsedUser | null, context: EvaluationContext, now = Date.UTC(2026, 11, 7)): EvaluationRequest {
  return { company, user, context, options: null, now: () => now, clientFlags: new Set(), defaultValue: () => false };
}

describe('results kept per company, user and the request attributes conditions read', () => {
  it('agree with a fresh evaluation through 2,000 random requests', () => {
    const random = new Random(1207);
    const kept = flagSetOf(data);
    const values: Record<string, AttributeValue[]> = { country: ['DE', 'FR', 'US', 7], plan: ['pro', 'free'], team: ['core', 'growth', 'x'], role: ['admin'], seats: [5, 60, '70'], unread: ['a', 'b'] };
    for (let step = 0; step < 2000; step++) {
      const company = random.chance(0.8) ? random.pick(companies) : null;
      const user = random.chance(0.7) ? random.pick(users) : null;
      const attributes: { user?: Record<string, AttributeValue>; company?: Record<string, AttributeValue> } = {};
      for (const name of random.subset(['country', 'plan', 'team', 'role', 'unread'])) (attributes.user ??= {})[name] = random.pick(values[name] as AttributeValue[]);
      if (random.chance(0.3)) attributes.company = { seats: random.pick(values.seats as AttributeValue[]) };
      const context: EvaluationContext = {
        company: company ? { domain: company.keys.domain as string } : undefined,
        user: user ? { email: user.keys.email as string, ...(random.chance(0.3) ? { key: `k${random.int(0, 3)}` } : {}) } : { key: `visitor-${random.int(0, 9)}` },
        attributes,
      };
      const answer = kept.results(request(company, user, context));
      const fresh = flagSetOf(data).results(request(company, user, context));
      for (const key of random.subset(KEYS, 0.7)) {
        const where = `${step} ${key} ${JSON.stringify(context)}`;
        expect(answer.value?.(key), where).toBe(fresh.value?.(key));
        expect(answer.variant?.(key), where).toEqual(fresh.variant?.(key));
        expect(answer.result(key), where).toEqual(fresh.result(key));
        expect(kept.check(key, request(company, user, context)), where).toEqual(flagSetOf(data).check(key, request(company, user, context)));
      }
    }
  });

  it('keeps each value of the one attribute read apart', () => {
    const one = loadFlagsText(JSON.stringify({ flags: { seven: { rules: [{ when: 'user.level = 7' }] }, big: { rules: [{ when: 'user.level >= 8' }] } }, users: [{ keys: { id: 'u' }, traits: { level: 7 } }] }), 'one.json');
    const set = flagSetOf(one);
    const u = parseUser(one.users[0]);
    const levels: (AttributeValue | undefined)[] = ['7', 7, 9, '9', '', undefined, true, 'true', '07'];
    for (const level of [...levels, ...levels.reverse()]) {
      const context: EvaluationContext = { user: { id: 'u' }, attributes: level === undefined ? {} : { user: { level } } };
      for (const key of ['seven', 'big']) {
        expect(set.results(request(null, u, context)).value?.(key), `${key} ${String(level)}`).toBe(flagSetOf(one).results(request(null, u, context)).value?.(key));
      }
    }
  });

  it('keeps a check’s result only while the clock cannot change it: one with a usage reset time is made again', () => {
    const set = flagSetOf(data);
    const [acme] = companies as [ParsedCompany];
    const context = { company: { domain: 'acme.test' } };
    const december = set.check('exports', request(acme, null, context, Date.UTC(2026, 11, 7)));
    const january = set.check('exports', request(acme, null, context, Date.UTC(2027, 0, 7)));
    expect(december?.featureUsageResetAt).not.toEqual(january?.featureUsageResetAt);
    // A result without one is the same object the next time.
    expect(set.check('big', request(acme, null, context))).toBe(set.check('big', request(acme, null, context)));
  });

  it('keeps a stored user’s answers per value of the attributes conditions read, not per request', () => {
    const set = flagSetOf(data);
    const ada = users[0] as ParsedUser;
    const detail = (attributes: Record<string, AttributeValue>) => set.results(request(null, ada, { user: { email: 'ada@acme.test' }, attributes: { user: attributes } })).variant?.('headline');
    const germany = detail({ country: 'DE', unread: 'a' });
    // An attribute no condition reads does not matter: the detail worked out first is the one served.
    expect(detail({ country: 'DE', unread: 'b' })).toBe(germany);
    expect(detail({ country: 'DE' })).toBe(germany);
    // One that conditions read does.
    const france = detail({ country: 'FR' });
    expect(france).not.toBe(germany);
    expect(germany?.variation).toBe('bold');
    expect(detail({ country: 'FR' })).toBe(france);
  });
});
