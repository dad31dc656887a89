import { FbClientBuilder, type IFbClient, type IUser } from '@featbit/node-server-sdk';
import type { FeatBitCondition, FeatBitFlag } from 'flagwire/featbit';
import type { StoredUser } from './fixtures';
import { VARIATIONS, WEIGHTS } from './fixtures';

/**
 * FeatBit's Node SDK as a second peer, where it is cheap: the bench's five flags written as FeatBit flags (the
 * same logic; "headline" as bench/variants.ts writes it, so FeatBit buckets every key as flagwire does), and the
 * bench's users as FeatBit users. Offline, from a bootstrap: no network. FeatBit keeps no users, so it has no
 * part in the memory and first-snapshot figures.
 */

const UPDATED_AT = '2025-01-01T00:00:00.000Z';

function onOffFlag(key: string, condition: FeatBitCondition): FeatBitFlag {
  return {
    id: key,
    key,
    name: key,
    variationType: 'boolean',
    variations: [
      { id: 'on', value: 'true' },
      { id: 'off', value: 'false' },
    ],
    targetUsers: [],
    rules: [{ id: `${key}-rule`, name: key, dispatchKey: null, includedInExpt: false, conditions: [condition], variations: [{ id: 'on', rollout: [0, 1], exptRollout: 0 }] }],
    isEnabled: true,
    disabledVariationId: 'off',
    exptIncludeAllTargets: false,
    fallthrough: { dispatchKey: null, includedInExpt: false, variations: [{ id: 'off', rollout: [0, 1], exptRollout: 0 }] },
    updatedAt: UPDATED_AT,
  };
}

// Shares are cumulative intervals in the order written, as the flags file compiles its rollout.
const cumulative = (i: number) => WEIGHTS.slice(0, i).reduce((sum, weight) => sum + weight, 0) / 100;

const HEADLINE: FeatBitFlag = {
  ...onOffFlag('headline', { property: 'country', op: 'Equal', value: 'DE' }),
  variationType: 'string',
  variations: VARIATIONS.map((value) => ({ id: value, value })),
  rules: [{ id: 'rule-de', name: 'Germany', dispatchKey: null, includedInExpt: false, conditions: [{ property: 'country', op: 'Equal', value: 'DE' }], variations: [{ id: 'bold', rollout: [0, 1], exptRollout: 0 }] }],
  disabledVariationId: 'control',
  fallthrough: { dispatchKey: null, includedInExpt: false, variations: VARIATIONS.map((id, i) => ({ id, rollout: [cumulative(i), cumulative(i + 1)] as [number, number], exptRollout: 0 })) },
};

export const FEATBIT_FLAGS: FeatBitFlag[] = [
  onOffFlag('admin-tools', { property: 'role', op: 'IsOneOf', value: JSON.stringify(['admin', 'owner']) }),
  onOffFlag('beta-editor', { property: 'beta', op: 'IsTrue', value: '' }),
  onOffFlag('power-user', { property: 'logins', op: 'BiggerEqualThan', value: '100' }),
  onOffFlag('eu-banner', { property: 'country', op: 'IsOneOf', value: JSON.stringify(['DE', 'FR', 'ES', 'IT']) }),
  HEADLINE,
];

/** FeatBit's bootstrap: its data-sync message, as its SDK reads it from JSON. */
export const featBitBootstrapText = (): string => JSON.stringify({ messageType: 'data-sync', data: { eventType: 'full', featureFlags: FEATBIT_FLAGS, segments: [] } });

/** A FeatBit user: the key, and every trait as a string property (FeatBit's properties are strings). */
export function featBitUser(key: string, properties: Readonly<Record<string, string | number | boolean>>): IUser {
  return { key, name: key, customizedProperties: Object.entries(properties).map(([name, value]) => ({ name, value: String(value) })) };
}

/** A stored user as an app hands it to FeatBit: its traits, the request's country (if any) over the stored one. */
export function featBitStoredUser(user: StoredUser, requestCountry?: string): IUser {
  return featBitUser(user.keys.id, { email: user.keys.email, ...user.traits, ...(requestCountry === undefined ? {} : { country: requestCountry }) });
}

export async function featBitClient(): Promise<IFbClient> {
  const client = new FbClientBuilder().offline(true).useJsonBootstrapProvider(featBitBootstrapText()).logLevel('none').build();
  await client.waitForInitialization();
  return client;
}
