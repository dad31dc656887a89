import { type RolloutShare, rolloutShare } from '../evaluators/featbit/dispatch';
import { md5Prefix } from '../evaluators/featbit/md5';
import type { AttributeRef, Outcome, RolloutOutcome, Variation, VariantFlag } from '../evaluators/schematic/variants/types';
import type { PathProblem } from './locator';
import { ROLLOUT_STEPS_PER_PERCENT } from './rollout-precision';
import type { ConciseFlag, ConciseRollout, VariationRef } from './schema';

/**
 * What a flag serves beyond its conditions. A plain on/off flag keeps its values on its Schematic rules, exactly
 * as before variations existed. A variant flag (one with `variations`, a rollout, or `enabled: false`) turns its
 * Schematic rules into "this rule matched" markers, and a table beside them says what each serves.
 */
export interface FlagPlan {
  /** The Schematic flag's `default_value`. */
  readonly defaultValue: boolean;
  /** Per rule in the file: its Schematic `value`, and whether it grants (so its usage limits get exceeded rules). */
  readonly rules: readonly { readonly value: boolean; readonly grants: boolean }[];
  /** What each rule and the fallthrough serve; `null` for a plain on/off flag. */
  readonly variant: VariantFlag | null;
}

type Path = readonly (string | number)[];

/** An on/off flag's variations: index 0 serves true, index 1 false. */
const ON_OFF: readonly Variation[] = [
  { name: 'true', value: true },
  { name: 'false', value: false },
];
const TRUE = 0;
const FALSE = 1;
const USER_KEY: AttributeRef = { entity: 'user', name: 'key' };

function isVariantFlag(flag: ConciseFlag): boolean {
  return flag.variations !== undefined || flag.rollout !== undefined || !flag.enabled || flag.rules.some((rule) => rule.rollout !== undefined);
}

/** A flag's variations in the file's order: a list's values name themselves; an object's keys name its values. */
function variationTable(flag: ConciseFlag, at: (...path: Path) => Path, problems: PathProblem[]): readonly Variation[] {
  const { variations } = flag;
  if (variations === undefined) return ON_OFF;
  if (!Array.isArray(variations)) return Object.entries(variations).map(([name, value]) => ({ name, value }));
  const seen = new Set<string>();
  return variations.map((value, i) => {
    const name = String(value);
    if (seen.has(name)) problems.push({ path: at('variations', i), message: `variation "${name}" appears twice` });
    seen.add(name);
    return { name, value };
  });
}

/** Plans one flag of the concise format, or reports what is wrong with its variations, values and rollouts. */
export function planFlag(key: string, flag: ConciseFlag, ruleIdOf: (index: number) => string): FlagPlan | { problems: PathProblem[] } {
  const at = (...path: Path): Path => ['flags', key, ...path];
  const problems: PathProblem[] = [];
  const variations = variationTable(flag, at, problems);
  const onOff = flag.variations === undefined;
  const names = variations.map((variation) => variation.name);
  const known = names.map((name) => `"${name}"`).join(', ');

  const find = (ref: VariationRef, path: Path): number => {
    if (onOff) {
      if (typeof ref === 'boolean') return ref ? TRUE : FALSE;
      problems.push({ path, message: 'an on/off flag serves true or false (add "variations" to serve other values)' });
      return -1;
    }
    const index = typeof ref === 'boolean' ? -1 : names.indexOf(String(ref));
    if (index === -1) problems.push({ path, message: `unknown variation ${JSON.stringify(ref)}: the variations are ${known}` });
    return index;
  };

  const rollout = (weights: ConciseRollout, by: string | undefined, path: Path): RolloutOutcome => {
    const entries = Object.entries(weights);
    const shares: { variation: number; share: RolloutShare }[] = [];
    let percent = 0;
    let start = 0;
    entries.forEach(([name, weight], i) => {
      const variation = names.indexOf(name);
      if (variation === -1) problems.push({ path: [...path, name], atName: true, message: `unknown variation "${name}" in this rollout: the variations are ${known}` });
      percent += weight;
      // Ends are cumulative percentages over 100, as FeatBit stores rollouts: rounded to 10 decimals so 33.3% ends at
      // 0.333 rather than 0.33299999999999996 (finer than a bucket's 2⁻³¹ steps); the last is exactly 1.
      const end = i === entries.length - 1 ? 1 : Math.round(percent * ROLLOUT_STEPS_PER_PERCENT) / (100 * ROLLOUT_STEPS_PER_PERCENT);
      shares.push({ variation, share: rolloutShare(start, end) });
      start = end;
    });
    return { kind: 'rollout', by: by === undefined ? USER_KEY : attributeRef(by), shares };
  };

  const byNeedsRollout = (holder: { by?: string | undefined; rollout?: ConciseRollout | undefined }, path: Path) => {
    if (holder.by !== undefined && holder.rollout === undefined) problems.push({ path: [...path, 'by'], message: '"by" applies to a rollout: add "rollout" beside it' });
  };

  let defaultVariation = FALSE;
  if (flag.default !== undefined) defaultVariation = find(flag.default, at('default'));
  else if (!onOff) problems.push({ path: at('default'), message: `a flag with variations needs a "default": one of ${known}` });
  const offVariation = flag.off === undefined ? defaultVariation : find(flag.off, at('off'));
  byNeedsRollout(flag, at());
  const fallthrough: Outcome = flag.rollout ? rollout(flag.rollout, flag.by, at('rollout')) : { kind: 'fixed', variation: defaultVariation };

  const outcomes = flag.rules.map((rule, r): Outcome => {
    byNeedsRollout(rule, at('rules', r));
    if (rule.rollout !== undefined) {
      if (rule.value !== undefined) problems.push({ path: at('rules', r, 'rollout'), message: 'a rule serves a "value" or a "rollout", not both' });
      return rollout(rule.rollout, rule.by, at('rules', r, 'rollout'));
    }
    if (rule.value !== undefined) return { kind: 'fixed', variation: find(rule.value, at('rules', r, 'value')) };
    if (!onOff) problems.push({ path: at('rules', r), message: 'this rule serves nothing: give it a "value" (a variation) or a "rollout"' });
    return { kind: 'fixed', variation: TRUE };
  });
  if (problems.length > 0) return { problems };

  if (!isVariantFlag(flag)) {
    // Plain on/off: every value is a boolean (checked above), kept on the Schematic flag as it always was.
    const rules = flag.rules.map((rule) => ({ value: rule.value !== false, grants: rule.value !== false }));
    return { defaultValue: flag.default === true, rules, variant: null };
  }
  return {
    defaultValue: false,
    // A rule serving a fixed false grants nothing on an on/off flag, so it has no exceeded rule, as before.
    rules: outcomes.map((outcome) => ({ value: true, grants: !(onOff && outcome.kind === 'fixed' && outcome.variation === FALSE) })),
    variant: {
      key,
      variations,
      enabled: flag.enabled,
      offVariation,
      defaultVariation,
      outcomes: new Map(outcomes.map((outcome, r) => [ruleIdOf(r), outcome])),
      fallthrough,
      dispatchPrefix: md5Prefix(key),
    },
  };
}

/** `user.key` → { entity: 'user', name: 'key' }; the schema has checked the form. */
function attributeRef(by: string): AttributeRef {
  const dot = by.indexOf('.');
  return { entity: by.slice(0, dot) === 'company' ? 'company' : 'user', name: by.slice(dot + 1) };
}
