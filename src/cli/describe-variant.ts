import type { loadFlagsText } from '../engine/index';
import type { VariationDetail } from '../server/index';

/** A flags-file flag with variations, as the loader compiles it. */
export type VariantFlag = NonNullable<ReturnType<ReturnType<typeof loadFlagsText>['variants']['get']>>;
type Outcome = VariantFlag['fallthrough'];

/** A value as the file writes it: strings quoted, JSON compact. */
export function formatValue(value: unknown): string {
  return JSON.stringify(value);
}

/** What a rule (or the fallthrough) serves: `"bold"`, or `rollout control 34% / bold 33% / question 33% by user.key`. */
export function describeOutcome(flag: VariantFlag, outcome: Outcome): string {
  const name = (index: number) => flag.variations[index]?.name ?? `#${index}`;
  if (outcome.kind === 'fixed') return formatValue(flag.variations[outcome.variation]?.value);
  const shares = outcome.shares.map(({ variation, share }) => `${name(variation)} ${percent(share.end - share.start)}`);
  return `rollout ${shares.join(' / ')} by ${outcome.by.entity}.${outcome.by.name}`;
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))}%`;
}

/** The lines `check` prints for a flag with variations: value, variation, reason kind and rollout bucket. */
export function variantCheckLines(key: string, detail: VariationDetail): string[] {
  return [
    `${key}: ${formatValue(detail.value)}`,
    `variation: ${detail.variation ?? '(none: the default)'}`,
    `reason: ${detail.reason} [${detail.kind}]`,
    ...(detail.ruleId ? [`rule: ${detail.ruleId}`] : []),
    ...(detail.bucket !== null ? [`bucket: ${detail.bucket.toFixed(6)} (FeatBit dispatch of the flag key and the rollout attribute)`] : []),
  ];
}
