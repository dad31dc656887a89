import { pathToFileURL } from 'node:url';
import { OpenFeature, type Provider } from '@openfeature/server-sdk';
import { FlagwireProvider } from '../src/openfeature/server';
import { createFlagsClient, defineFlags, type EvaluationContext } from '../src/server/index';
import { formatNs, measure, type Task } from './measure';

/**
 * What going through OpenFeature costs over calling flagwire directly, measured in the same run: one flag with a
 * rule on a request attribute ("headline": `bold` for users in DE), read for 256 users by
 * `client.variation(context, key, default)` and by OpenFeature's `getStringValue(key, default, context)` over
 * `FlagwireProvider` (its context mapping, its resolution details, and the SDK's hooks and context merging).
 */
const USERS = 256;
const PAIRED_RUNS = 7;
const COUNTRIES = ['DE', 'FR', 'US', 'GB'] as const;

const FLAGS = defineFlags({
  headline: { variations: ['control', 'bold'], default: 'control', rules: [{ when: 'user.country = DE', value: 'bold' }] },
});

/** The SDK's own floor: a provider that answers at once, with no flagwire behind it. */
const CONSTANT_PROVIDER: Provider = {
  metadata: { name: 'constant' },
  resolveBooleanEvaluation: async (_key, value) => ({ value }),
  resolveStringEvaluation: async (_key, value) => ({ value }),
  resolveNumberEvaluation: async (_key, value) => ({ value }),
  resolveObjectEvaluation: async (_key, value) => ({ value }),
};

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

export async function openFeatureBench(): Promise<string> {
  const client = createFlagsClient({ flags: FLAGS, logger: { error() {}, warn() {}, info() {}, debug() {} } });
  const provider = new FlagwireProvider(client);
  await OpenFeature.setProviderAndWait('bench', provider);
  const openFeature = OpenFeature.getClient('bench');
  await OpenFeature.setProviderAndWait('bench-floor', CONSTANT_PROVIDER);
  const floor = OpenFeature.getClient('bench-floor');
  try {
    const users = Array.from({ length: USERS }, (_, i) => ({ key: `user-${i}`, country: COUNTRIES[i % COUNTRIES.length]! }));
    const openFeatureContexts = users.map((u) => ({ targetingKey: u.key, country: u.country }));
    // The flagwire context the provider maps each of those to, made once: the direct call pays no mapping.
    const contexts: EvaluationContext[] = users.map((u) => ({ user: { key: u.key }, attributes: { user: { country: u.country } } }));
    const at = (i: number) => i % USERS;

    // Both paths must serve the same values before either is timed.
    for (let i = 0; i < USERS; i++) {
      const direct = await client.variation(contexts[i]!, 'headline', 'none');
      const viaOpenFeature = await openFeature.getStringValue('headline', 'none', openFeatureContexts[i]);
      const expected = users[i]!.country === 'DE' ? 'bold' : 'control';
      if (direct !== expected || viaOpenFeature !== expected) throw new Error(`user ${i}: direct ${direct}, OpenFeature ${viaOpenFeature}, expected ${expected}`);
    }

    const direct: Task = { name: 'flagwire `client.variation` (direct)', async: true, run: (i) => client.variation(contexts[at(i)]!, 'headline', 'control') };
    const viaOpenFeature: Task = {
      name: 'OpenFeature `getStringValue` over `FlagwireProvider`',
      async: true,
      run: (i) => openFeature.getStringValue('headline', 'control', openFeatureContexts[at(i)]),
    };
    const results = await measure([
      direct,
      { name: 'flagwire `client.variationDetail` (direct)', async: true, run: (i) => client.variationDetail(contexts[at(i)]!, 'headline', 'control') },
      { name: '`FlagwireProvider.resolveStringEvaluation` (no SDK)', async: true, run: (i) => provider.resolveStringEvaluation('headline', 'control', openFeatureContexts[at(i)]!) },
      viaOpenFeature,
      { name: 'OpenFeature `getStringDetails` over `FlagwireProvider`', async: true, run: (i) => openFeature.getStringDetails('headline', 'control', openFeatureContexts[at(i)]) },
      { name: 'OpenFeature `getStringValue` over a constant provider (the SDK alone)', async: true, run: (i) => floor.getStringValue('headline', 'control', openFeatureContexts[at(i)]) },
    ]);
    // The headline ratio, paired: short runs of the two paths side by side, so a noisy spell falls on both.
    const ratios: number[] = [];
    for (let run = 0; run < PAIRED_RUNS; run++) {
      const [d, o] = await measure([direct, viaOpenFeature], { rounds: 10, targetBatchMs: 5 });
      ratios.push(o!.nsPerOp / d!.nsPerOp);
    }
    const ratio = median(ratios);
    const directNs = results[0]!.nsPerOp;
    return [
      '## OpenFeature: evaluation overhead over a direct call',
      '',
      `One flag with a rule on a request attribute ("headline": \`bold\` for users in DE), ${USERS} users rotated, all read the`,
      'same value both ways (checked before timing). Median of interleaved rounds; p10–p90 across rounds.',
      '',
      '| path | per evaluation | p10 – p90 | vs `variation` |',
      '|---|---|---|---|',
      ...results.map((r) => `| ${r.name} | ${formatNs(r.nsPerOp)} | ${formatNs(r.p10)} – ${formatNs(r.p90)} | ${(r.nsPerOp / directNs).toFixed(2)}× |`),
      '',
      `Paired (the two paths side by side, ${PAIRED_RUNS} runs; median run): OpenFeature \`getStringValue\` / \`client.variation\` **${ratio.toFixed(2)}×**,`,
      `about ${formatNs(Math.max(0, (ratio - 1) * directNs))} more per evaluation (runs ${Math.min(...ratios).toFixed(2)} – ${Math.max(...ratios).toFixed(2)}).`,
    ].join('\n');
  } finally {
    await OpenFeature.close();
  }
}

// `npx tsx bench/openfeature.ts` runs this bench alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) console.log(await openFeatureBench());
