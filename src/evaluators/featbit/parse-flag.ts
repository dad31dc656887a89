import { PARSED } from '../schematic/engine/parsed-types';
import { rolloutShare } from './dispatch';
import { EXPERIMENT_PREFIX, experimentShare } from './experiment';
import { md5Prefix } from './md5';
import { parseConditions } from './parse-condition';
import type { ParsedFeatBitFlag, ParsedFeatBitRollout, ParsedFeatBitRule, ParsedFeatBitShare } from './parsed-types';
import {
  errorResult,
  FEATBIT_REASON_FALLTHROUGH,
  FEATBIT_REASON_MALFORMED,
  FEATBIT_REASON_OFF,
  FEATBIT_REASON_TARGET,
  type FeatBitEvaluation,
  ruleMatchReason,
  variationResult,
} from './result';
import { childPath, FeatBitReader, type WireObject } from './wire-read';
import type { FeatBitFlag } from './wire-types';

type Variations = ReadonlyMap<string, { readonly id: string; readonly value: string }>;

interface Context {
  readonly reader: FeatBitReader;
  readonly key: string;
  readonly variations: Variations;
  readonly exptIncludeAllTargets: boolean;
}

function malformed(context: Context, problem: string): FeatBitEvaluation {
  return errorResult(context.key, FEATBIT_REASON_MALFORMED, `[flagwire] FeatBit flag ${JSON.stringify(context.key)}: ${problem}`);
}

function unknownVariation(context: Context, id: string, path: string): FeatBitEvaluation {
  return malformed(context, `${path} names variation ${JSON.stringify(id)}, which the flag does not have`);
}

function parseShare(context: Context, obj: WireObject, path: string, match: { kind: 'rule_match' | 'fallthrough'; reason: string; ruleId: string | null }): ParsedFeatBitShare {
  const { reader } = context;
  const variationId = reader.string(obj, 'id', path);
  const [start, end] = reader.interval(obj, 'rollout', path);
  const expt = reader.field(obj, 'exptRollout', path);
  const exptRollout = expt === undefined || expt === null ? 0 : reader.finite(expt, childPath(path, 'exptRollout'));
  const variation = context.variations.get(variationId);
  // Both results are built now, so an evaluation only picks one.
  const results: [FeatBitEvaluation, FeatBitEvaluation] = variation
    ? [false, true].map((sendToExperiment) => variationResult(context.key, match.kind, variation, { reason: match.reason, ruleId: match.ruleId, sendToExperiment })) as [FeatBitEvaluation, FeatBitEvaluation]
    : [unknownVariation(context, variationId, path), unknownVariation(context, variationId, path)];
  return { ...rolloutShare(start, end), variationId, exptRollout, experiment: experimentShare(start, end, exptRollout), results };
}

function dispatchProperty(reader: FeatBitReader, obj: WireObject, path: string): string | null {
  const property = reader.optionalString(obj, 'dispatchKey', path);
  // A blank dispatch key means the user key, as in FeatBit's Node and .NET SDKs.
  return property === null || property.trim() === '' ? null : property;
}

function parseRollout(context: Context, obj: WireObject, path: string, match: { kind: 'rule_match' | 'fallthrough'; reason: string; ruleId: string | null }): ParsedFeatBitRollout {
  const { reader } = context;
  return {
    dispatchProperty: dispatchProperty(reader, obj, path),
    includedInExpt: reader.flag(obj, 'includedInExpt', path),
    shares: reader.objects(obj, 'variations', path, (item, itemPath) => parseShare(context, item, itemPath, match)),
    uncovered: malformed(context, `${path ? `${path}: ` : ''}the user's bucket is in none of the rollout's shares`),
  };
}

function parseRule(context: Context, obj: WireObject, path: string): ParsedFeatBitRule {
  const { reader } = context;
  const id = reader.optionalString(obj, 'id', path);
  const name = reader.optionalString(obj, 'name', path) ?? '';
  const conditions = parseConditions(reader, obj, path, true);
  return { id, name, conditions, ...parseRollout(context, obj, path, { kind: 'rule_match', reason: ruleMatchReason(name), ruleId: id }) };
}

function parseTargets(context: Context, obj: WireObject): Map<string, FeatBitEvaluation> {
  const { reader } = context;
  const targets = new Map<string, FeatBitEvaluation>();
  reader.objects(obj, 'targetUsers', '', (target, path) => {
    const variationId = reader.string(target, 'variationId', path);
    const variation = context.variations.get(variationId);
    const result = variation
      ? variationResult(context.key, 'target_match', variation, { reason: FEATBIT_REASON_TARGET, sendToExperiment: context.exptIncludeAllTargets })
      : unknownVariation(context, variationId, path);
    for (const userKey of reader.stringList(target, 'keyIds', path)) {
      // The first entry listing a key decides, as FeatBit searches the entries in order.
      if (!targets.has(userKey)) targets.set(userKey, result);
    }
  });
  return targets;
}

/**
 * Validates a FeatBit flag (wire JSON) and prepares it for evaluation.
 * @throws InvalidEntityError when a field has the wrong type or a required one is missing.
 */
export function parseFeatBitFlag(flag: FeatBitFlag | unknown): ParsedFeatBitFlag {
  const reader = new FeatBitReader('featbit flag');
  const obj = reader.object(flag, '');
  const key = reader.string(obj, 'key', '');
  const variationList = reader.objects(obj, 'variations', '', (item, path) => ({
    id: reader.string(item, 'id', path),
    value: reader.string(item, 'value', path),
  }));
  const variations = new Map<string, { id: string; value: string }>();
  // Lookups by id take the first variation with that id, as FeatBit's SDKs search the list.
  for (const variation of variationList) if (!variations.has(variation.id)) variations.set(variation.id, variation);
  const exptIncludeAllTargets = reader.flag(obj, 'exptIncludeAllTargets', '');
  const context: Context = { reader, key, variations, exptIncludeAllTargets };

  const disabledId = reader.optionalString(obj, 'disabledVariationId', '');
  const disabled = disabledId === null ? undefined : variations.get(disabledId);
  const offResult = disabled
    ? variationResult(key, 'off', disabled, { reason: FEATBIT_REASON_OFF, sendToExperiment: false })
    : malformed(context, `disabledVariationId ${JSON.stringify(disabledId)} names no variation of the flag`);
  const fallthrough = reader.field(obj, 'fallthrough', '');
  return Object.freeze({
    [PARSED]: 'featbit-flag' as const,
    id: reader.optionalString(obj, 'id', ''),
    key,
    dispatchPrefix: md5Prefix(key),
    experimentPrefix: md5Prefix(EXPERIMENT_PREFIX + key),
    name: reader.optionalString(obj, 'name', ''),
    variationType: reader.optionalString(obj, 'variationType', ''),
    variations: Object.freeze(variationList),
    isEnabled: reader.boolean(obj, 'isEnabled', ''),
    isArchived: reader.flag(obj, 'isArchived', ''),
    exptIncludeAllTargets,
    offResult,
    targets: parseTargets(context, obj),
    rules: reader.objects(obj, 'rules', '', (item, path) => parseRule(context, item, path)),
    fallthrough:
      fallthrough === undefined || fallthrough === null
        ? null
        : parseRollout(context, reader.object(fallthrough, 'fallthrough'), 'fallthrough', { kind: 'fallthrough', reason: FEATBIT_REASON_FALLTHROUGH, ruleId: null }),
  });
}
