import type { Attributes, FeatureApiResponse } from '@growthbook/growthbook';
import { Random } from '../../test/support/random';

/**
 * The flags and users the peers bench shares: five flags written once for flagwire's flags file and once as
 * GrowthBook's payload (the same logic: four on/off flags on a user attribute, and "headline", the three-way
 * flag of bench/variants.ts), and users with two keys and four traits, as an app declares them in a flags file
 * and as it hands them to GrowthBook (one flat attribute object each).
 */
export const ROLES = ['viewer', 'editor', 'admin', 'owner'] as const;
export const COUNTRIES = ['DE', 'FR', 'US', 'GB', 'ES', 'IT', 'JP', 'BR'] as const;
const EU_COUNTRIES = ['DE', 'FR', 'ES', 'IT'] as const;
export const VARIATIONS = ['control', 'bold', 'question'] as const;
export const WEIGHTS = [34, 33, 33] as const;
const POWER_USER_LOGINS = 100;

/** The on/off flags: each reads one user attribute, stored (role, beta, logins) or given at request time (country). */
export const ON_OFF_FLAGS = ['admin-tools', 'beta-editor', 'power-user', 'eu-banner'] as const;
export type OnOffFlag = (typeof ON_OFF_FLAGS)[number];

/** flagwire's declarations, as the `flags` of a flags file. */
export const FLAGWIRE_FLAGS = {
  'admin-tools': { rules: [{ when: 'user.role in [admin, owner]' }] },
  'beta-editor': { rules: [{ when: 'user.beta = true' }] },
  'power-user': { rules: [{ when: `user.logins >= ${POWER_USER_LOGINS}` }] },
  'eu-banner': { rules: [{ when: `user.country in [${EU_COUNTRIES.join(', ')}]` }] },
  headline: {
    variations: [...VARIATIONS],
    default: 'control',
    rollout: { control: WEIGHTS[0], bold: WEIGHTS[1], question: WEIGHTS[2] },
    rules: [{ when: 'user.country = DE', value: 'bold' }],
  },
} as const;

// GrowthBook hashes differently (FNV-1a of seed + id), so its users land in other "headline" buckets; only the
// shares agree. Everything else is the same logic.
export const GROWTHBOOK_PAYLOAD: FeatureApiResponse = {
  features: {
    'admin-tools': { defaultValue: false, rules: [{ condition: { role: { $in: ['admin', 'owner'] } }, force: true }] },
    'beta-editor': { defaultValue: false, rules: [{ condition: { beta: true }, force: true }] },
    'power-user': { defaultValue: false, rules: [{ condition: { logins: { $gte: POWER_USER_LOGINS } }, force: true }] },
    'eu-banner': { defaultValue: false, rules: [{ condition: { country: { $in: [...EU_COUNTRIES] } }, force: true }] },
    headline: {
      defaultValue: 'control',
      rules: [
        { condition: { country: 'DE' }, force: 'bold' },
        { key: 'headline', variations: [...VARIATIONS], weights: WEIGHTS.map((weight) => weight / 100), hashAttribute: 'id', coverage: 1 },
      ],
    },
  },
};

/** A user as a flags file declares one: found by either key; the traits are what the flags read. */
export interface StoredUser {
  keys: { id: string; email: string };
  traits: { role: string; country: string; beta: boolean; logins: number };
}

/** Users `user-0`…, the same for a given count in every process; `user-0` is an admin (the cold start's answer). */
export function storedUsers(count: number): StoredUser[] {
  const random = new Random(22);
  return Array.from({ length: count }, (_, i) => ({
    keys: { id: `user-${i}`, email: `user-${i}@example.test` },
    traits: { role: i === 0 ? 'admin' : random.pick(ROLES), country: random.pick(COUNTRIES), beta: random.chance(0.3), logins: random.int(0, 400) },
  }));
}

/** A flags file with these users (none: flags only); other flags only where a test needs them to differ. */
export function flagsFileText(users: readonly StoredUser[], flags: object = FLAGWIRE_FLAGS): string {
  return JSON.stringify({ flags, users });
}

/**
 * The same user as an app hands it to GrowthBook: one flat attribute object, the request's country (if any)
 * over the stored one, as flagwire reads request-time attributes before stored traits.
 */
export function growthBookAttributes(user: StoredUser, requestCountry?: string): Attributes {
  return { ...user.keys, ...user.traits, ...(requestCountry === undefined ? {} : { country: requestCountry }) };
}

/** A country for request `i`: every country in turn, so the rule on it matches some requests and not others. */
export const requestCountry = (i: number): string => COUNTRIES[i % COUNTRIES.length] as string;
