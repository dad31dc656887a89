import { compileOperator, parseStringList } from './operators';
import type { AttributeSource, ConditionKind, ParsedFeatBitCondition } from './parsed-types';
import type { FeatBitReader, WireObject } from './wire-read';

/** The properties that make a flag condition a segment test. */
export const IN_SEGMENT_PROPERTY = 'User is in segment';
export const NOT_IN_SEGMENT_PROPERTY = 'User is not in segment';

function sourceOf(property: string): AttributeSource {
  if (property === 'keyId') return 'key';
  if (property === 'name') return 'name';
  return property.trim() === '' ? 'none' : 'custom';
}

function kindOf(property: string, segmentsAllowed: boolean): ConditionKind {
  if (!segmentsAllowed) return 'ordinary';
  if (property === IN_SEGMENT_PROPERTY) return 'in-segment';
  if (property === NOT_IN_SEGMENT_PROPERTY) return 'not-in-segment';
  return 'ordinary';
}

const never = (): boolean => false;

/**
 * Parses one condition. Its structure (string property and value) is checked here; a value an operator cannot
 * use (bad list JSON, a bad regular expression) is kept as `problem` and only fails the evaluations that reach
 * it, so one broken rule does not take down the targets and rules before it.
 * @param segmentsAllowed whether segment conditions are recognised (flag rules yes, segment rules no).
 */
export function parseCondition(reader: FeatBitReader, obj: WireObject, path: string, segmentsAllowed: boolean): ParsedFeatBitCondition {
  const property = reader.string(obj, 'property', path);
  const op = reader.optionalString(obj, 'op', path);
  const value = reader.string(obj, 'value', path);
  const kind = kindOf(property, segmentsAllowed);
  if (kind !== 'ordinary') {
    const ids = parseStringList(value);
    const problem = typeof ids === 'string' ? `${path}: segment ${ids.replace('the list', 'list')}` : null;
    // The ids stay in stored order: segments are tried one by one.
    const segmentIds = typeof ids === 'string' ? [] : [...ids];
    return { property, op, value, kind, source: 'none', segmentIds, test: never, problem };
  }
  const { test, problem } = compileOperator(op, value);
  return { property, op, value, kind, source: sourceOf(property), segmentIds: [], test, problem: problem && `${path}: ${problem}` };
}

/** Parses a `conditions` list. */
export function parseConditions(reader: FeatBitReader, obj: WireObject, path: string, segmentsAllowed: boolean): ParsedFeatBitCondition[] {
  return reader.objects(obj, 'conditions', path, (item, itemPath) => parseCondition(reader, item, itemPath, segmentsAllowed));
}
