import type { FeatBitCondition, FeatBitFlag, FeatBitSegment } from '../../src/evaluators/featbit';
import { headlineTexts } from '../examples/headline-experiment';
import type { FeatBitData } from './featbit-server';

/**
 * The examples' flags as a FeatBit environment holds them, for running the examples on FeatBit. FeatBit keeps
 * no companies: the example's context reaches it as a user keyed by the visitor id with the custom properties
 * `email` and `company.domain` (context-user.ts), so the flags file's plan and seat rules become rules on the
 * company's domain (Acme is Pro, Initech Enterprise, Globex has 80 seats). The headline experiment is the flags
 * file's: the same variation names (as variation ids) and texts, 34/33/33 by user key.
 */
const CREATED = '2025-01-01T00:00:00.000Z';
const PAID_COMPANIES = ['acme.test', 'initech.test'];

const onFor = (conditions: FeatBitCondition[], name: string) => [
  { id: `${name}-rule`, name, dispatchKey: null, includedInExpt: false, conditions, variations: [{ id: 'on', rollout: [0, 1] as [number, number], exptRollout: 0 }] },
];
const domainIn = (domains: readonly string[]): FeatBitCondition => ({ property: 'company.domain', op: 'IsOneOf', value: JSON.stringify(domains) });

/** An on/off flag: `on` for whom `rules` match, else `off`. */
export function booleanFlag(key: string, rules: FeatBitFlag['rules'], updatedAt = CREATED): FeatBitFlag {
  return {
    id: `${key}-id`,
    key,
    name: key,
    variationType: 'boolean',
    variations: [
      { id: 'on', value: 'true' },
      { id: 'off', value: 'false' },
    ],
    targetUsers: [],
    rules,
    isEnabled: true,
    disabledVariationId: 'off',
    fallthrough: { dispatchKey: null, includedInExpt: false, variations: [{ id: 'off', rollout: [0, 1], exptRollout: 0 }] },
    exptIncludeAllTargets: false,
    isArchived: false,
    updatedAt,
    createdAt: CREATED,
    tags: [],
  };
}

/** `new-dashboard`, on for the companies with these domains (Pro and Enterprise ones, as the flags file has it). */
export function newDashboardFlag(domains: readonly string[] = PAID_COMPANIES, updatedAt = CREATED): FeatBitFlag {
  return booleanFlag('new-dashboard', onFor([domainIn(domains)], 'Paid plans'), updatedAt);
}

/** `headline`: the flags file's variations, each served to a third of visitors (34/33/33) by their user key. */
export function headlineFlag(texts: Readonly<Record<string, string>>, updatedAt = CREATED): FeatBitFlag {
  const variations = ['control', 'bold', 'question'].map((id) => ({ id, value: texts[id] ?? '' }));
  return {
    ...booleanFlag('headline', [], updatedAt),
    variationType: 'string',
    variations,
    disabledVariationId: 'control',
    fallthrough: {
      dispatchKey: null,
      includedInExpt: true,
      variations: [
        // Every visitor in a share takes part in the experiment.
        { id: 'control', rollout: [0, 0.34], exptRollout: 0.34 },
        { id: 'bold', rollout: [0.34, 0.67], exptRollout: 0.33 },
        { id: 'question', rollout: [0.67, 1], exptRollout: 0.33 },
      ],
    },
  };
}

const largeTeams: FeatBitSegment = {
  id: 'large-teams',
  name: 'Large teams (50 seats or more)',
  included: [],
  excluded: [],
  rules: [{ id: 'large-teams-rule', name: 'Globex', conditions: [{ property: 'company.domain', op: 'Equal', value: 'globex.test' }] }],
  isArchived: false,
  updatedAt: CREATED,
};

/** Every flag the Express and Next examples read, with the headline texts of the example's flags file. */
export function featBitExampleFlags(flagsFile: string): FeatBitData & { flags: FeatBitFlag[] } {
  return {
    flags: [
      newDashboardFlag(),
      booleanFlag('bulk-export', onFor([domainIn(PAID_COMPANIES)], 'Paid plans')),
      booleanFlag('beta-banner', onFor([{ property: 'User is in segment', op: null, value: JSON.stringify([largeTeams.id]) }], 'Large teams')),
      booleanFlag('spring-sale', []),
      booleanFlag('labs', onFor([domainIn(['initech.test'])], 'Enterprise')),
      booleanFlag('internal-audit', onFor([domainIn(['initech.test'])], 'Initech')),
      headlineFlag(headlineTexts(flagsFile)),
    ],
    segments: [largeTeams],
  };
}
